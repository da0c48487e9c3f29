#!/usr/bin/env python3
"""Builds the two fixed request bodies of the load benchmark from ../shared/conformance/corpus.

usage: bodies.py <conformance dir> <output dir>

Writes, in the output dir:
  processor.json         100 processor request items (corpus/cases.jsonl: success and error cases
                         alike, evenly spaced, none holding a __proto__ key) as one JSON array
  processor.expect.json  the statusCode of every response entry expected for it, in order
  router.json            {"input": [1,000 router inputs], "destType": "CLEVERTAP"}: the 975-event
                         corpus batch plus the 1,150-event batch's inputs whose jobIds it lacks
  router.expect.json     the 1,000 jobIds the router response must cover

The inputs are sliced out of the corpus lines as raw text, never re-serialised: the corpus holds
JSON that a round trip would change (1e309, integers beyond 2^53, duplicate keys, ...).
"""
import json
import os
import sys

DECODER = json.JSONDecoder()
WS = " \t\r\n"


def skip(text, i):
    while text[i] in WS:
        i += 1
    return i


def raw_members(text):
    """{key: raw text of the value} for the top-level JSON object in text."""
    members, i = {}, skip(text, 0)
    assert text[i] == "{"
    i = skip(text, i + 1)
    while text[i] != "}":
        key, i = json.decoder.scanstring(text, i + 1)
        i = skip(text, i)
        assert text[i] == ":"
        start = skip(text, i + 1)
        _, end = DECODER.raw_decode(text, start)
        members[key] = text[start:end]
        i = skip(text, end)
        if text[i] == ",":
            i = skip(text, i + 1)
    return members


def raw_elements(text):
    """Raw text of every element of the JSON array in text."""
    elements, i = [], skip(text, 0)
    assert text[i] == "["
    i = skip(text, i + 1)
    while text[i] != "]":
        _, end = DECODER.raw_decode(text, i)
        elements.append(text[i:end])
        i = skip(text, end)
        if text[i] == ",":
            i = skip(text, i + 1)
    return elements


def has_proto(raw):
    found = []

    def pairs(items):
        if any(key == "__proto__" for key, _ in items):
            found.append(True)
        return dict(items)

    json.loads(raw, object_pairs_hook=pairs)
    return bool(found)


def main(conformance, out):
    corpus = os.path.join(conformance, "corpus")

    # Processor: 100 items spread evenly over the cases without __proto__ (about 3 in 4 succeed).
    cases = []
    with open(os.path.join(corpus, "cases.jsonl"), encoding="utf-8", errors="surrogateescape") as lines:
        for line in lines:
            members = raw_members(line)
            if not has_proto(members["input"]):
                cases.append((members["input"], json.loads(members["expected"])))
    picked = [cases[i * len(cases) // 100] for i in range(100)]
    with open(os.path.join(out, "processor.json"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write("[" + ",".join(raw for raw, _ in picked) + "]")
    statuses = [entry["statusCode"] for _, expected in picked for entry in expected]
    with open(os.path.join(out, "processor.expect.json"), "w") as f:
        json.dump(statuses, f)

    # Router: the 975-event batch, topped up to jobIds 1..1000 from the 1,150-event batch.
    batches = {}
    with open(os.path.join(corpus, "router.jsonl"), encoding="utf-8", errors="surrogateescape") as lines:
        for line in lines:
            members = raw_members(line)
            batches[len(raw_elements(members["input"]))] = raw_elements(members["input"])
    inputs, jobs = [], []
    for raw in batches[975] + batches[1150]:
        job = json.loads(raw)["metadata"]["jobId"]
        if job not in jobs and len(inputs) < 1000:
            assert not has_proto(raw)
            inputs.append(raw)
            jobs.append(job)
    assert len(inputs) == 1000
    with open(os.path.join(out, "router.json"), "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write('{"input":[' + ",".join(inputs) + '],"destType":"CLEVERTAP"}')
    with open(os.path.join(out, "router.expect.json"), "w") as f:
        json.dump(sorted(jobs), f)

    print(f"processor.json: {len(picked)} items, {len(statuses)} response entries expected; "
          f"router.json: {len(inputs)} inputs")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
