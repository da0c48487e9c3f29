using System.Collections.Generic;
using Mappings.Generators.Model;

namespace Mappings.Generators.Emitting;

/// <summary>
/// Walks what a mapping reads and writes, in the order the generated code evaluates it: the record
/// and the extra records, their fields (conditions, values, stringify conditions), assigned
/// values and the fields applied last; every path a value or condition reads reaches
/// <see cref="Path"/>. Planners of the emitter (which config properties to read once, which
/// objects to read in one pass) derive from it and look at what they need.
/// </summary>
internal abstract class ModelWalker
{
    public void Mapper(MapperModel model)
    {
        if (model.Record is not null)
        {
            Object(model.Record);
        }

        foreach (ExtraRecordSpec extra in model.ExtraRecords)
        {
            Condition(extra.When);
            Object(extra.Record);
        }
    }

    protected void Object(ObjectSpec spec)
    {
        Fields(spec.Fields);
        AfterFields(spec);
        Condition(spec.Stringify?.Parse?.When);
        Value(spec.Assign);
        Fields(spec.Finally);
    }

    /// <summary>Between an object's fields and the stages that follow them (custom fields, stringify, assign).</summary>
    protected virtual void AfterFields(ObjectSpec spec)
    {
    }

    /// <summary>A field that writes a value, once its conditions and value were walked.</summary>
    protected virtual void Written(ValueField field)
    {
    }

    /// <summary>A path read by a value or a condition.</summary>
    protected abstract void Path(ValuePath path);

    private void Fields(IEnumerable<FieldSpec> fields)
    {
        foreach (FieldSpec field in fields)
        {
            switch (field)
            {
                case ValueField v:
                    Condition(v.When);
                    Value(v.Value);
                    Condition(v.Stringify?.Parse?.When);
                    Written(v);
                    break;
                case FailField f:
                    Condition(f.When);
                    break;
            }
        }
    }

    protected void Value(ValueExpr? value)
    {
        switch (value)
        {
            case PathValue p:
                Path(p.Path);
                break;
            case LowerValue l:
                Path(l.Path);
                break;
            case FirstValidValue f:
                foreach (ValuePath p in f.Paths)
                {
                    Path(p);
                }

                break;
            case FirstTruthyValue t:
                foreach (ValuePath p in t.Paths)
                {
                    Path(p);
                }

                break;
            case ObjectValue o:
                Object(o.Object);
                break;
            case TemplateValue t:
                foreach (NamedValue nv in t.Values)
                {
                    Value(nv.Value);
                }

                break;
            case CasesValue c:
                foreach (Case @case in c.Cases)
                {
                    Condition(@case.When);
                    Value(@case.Value);
                }

                break;
        }
    }

    protected void Condition(Condition? condition)
    {
        switch (condition)
        {
            case TruthyCondition t:
                Value(t.Operand);
                break;
            case EqualsCondition e:
                Value(e.Operand);
                break;
            case InCondition i:
                Value(i.Operand);
                break;
            case AllCondition a:
                foreach (Condition c in a.Items)
                {
                    Condition(c);
                }

                break;
            case AnyCondition a:
                foreach (Condition c in a.Items)
                {
                    Condition(c);
                }

                break;
            case NotCondition n:
                Condition(n.Inner);
                break;
        }
    }
}
