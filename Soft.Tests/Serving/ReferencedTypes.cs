using System.Reflection;
using System.Reflection.Emit;

namespace Soft.Tests.Serving;

/// <summary>
/// The types a compiled type names: in its signatures, attributes and locals, and in the tokens of its methods' IL
/// (what it calls, reads, creates, casts to or takes <c>typeof</c> of). Lambdas, iterators and async methods compile
/// into nested types; pass those too. Constants are copied into the IL as values and leave no reference: they are
/// not found.
/// </summary>
internal static class ReferencedTypes
{
    private const BindingFlags Declared = BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary><paramref name="type"/> and every type nested in it, at any depth (where the compiler puts lambdas and state machines).</summary>
    public static IEnumerable<Type> WithNested(Type type) =>
        type.GetNestedTypes(Declared).SelectMany(WithNested).Prepend(type);

    /// <summary>
    /// The types of <paramref name="within"/> that <paramref name="roots"/> name, the types those name, and so on: what
    /// of the assembly a program built from the roots can reach. A reached type brings its nested types (its lambdas and
    /// state machines); a method of a reached type counts as reachable, whether or not the roots call it.
    /// </summary>
    public static IReadOnlySet<Type> Closure(IEnumerable<Type> roots, Assembly within)
    {
        var reached = new HashSet<Type>();
        var seen = new HashSet<Type>();
        var queue = new Queue<Type>(roots);
        while (queue.TryDequeue(out var type))
        {
            if (!seen.Add(type))
                continue;
            if (type.Assembly == within)
                reached.Add(type);
            foreach (var nested in type.GetNestedTypes(Declared))
                queue.Enqueue(nested);
            foreach (var named in Of(type))
            {
                // An array, pointer or by-ref type is not a type of the assembly; Of names its element type too.
                var definition = named.IsGenericType ? named.GetGenericTypeDefinition() : named;
                if (definition.Assembly == within && !definition.HasElementType)
                    queue.Enqueue(definition);
            }
        }
        return reached;
    }

    /// <summary>Every type <paramref name="type"/> names, with the element types and generic arguments of those it names.</summary>
    public static IReadOnlySet<Type> Of(Type type)
    {
        var found = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !found.Add(t))
                return;
            if (t.HasElementType)
                Add(t.GetElementType());
            if (t.IsGenericType)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                    Add(argument);
            }
        }
        void AddAttributes(IEnumerable<CustomAttributeData> attributes)
        {
            foreach (var attribute in attributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(n => n.TypedValue)))
                {
                    Add(argument.ArgumentType);
                    Add(argument.Value as Type);
                }
            }
        }
        void AddSignature(MethodBase method)
        {
            Add(method.DeclaringType);
            if (method is MethodInfo info)
                Add(info.ReturnType);
            foreach (var parameter in method.GetParameters())
                Add(parameter.ParameterType);
            if (method.IsGenericMethod)
            {
                foreach (var argument in method.GetGenericArguments())
                    Add(argument);
            }
        }

        Add(type.BaseType);
        foreach (var contract in type.GetInterfaces())
            Add(contract);
        AddAttributes(type.CustomAttributes);
        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType);
            AddAttributes(field.CustomAttributes);
        }
        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType);
            AddAttributes(property.CustomAttributes);
        }
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            AddSignature(method);
            AddAttributes(method.CustomAttributes);
            foreach (var parameter in method.GetParameters())
                AddAttributes(parameter.CustomAttributes);
            var body = method.GetMethodBody();
            if (body is null)
                continue;
            foreach (var local in body.LocalVariables)
                Add(local.LocalType);
            foreach (var clause in body.ExceptionHandlingClauses.Where(c => c.Flags == ExceptionHandlingClauseOptions.Clause))
                Add(clause.CatchType);
            foreach (var member in Tokens(method, body.GetILAsByteArray() ?? []))
            {
                switch (member)
                {
                    case Type named:
                        Add(named);
                        break;
                    case MethodBase called:
                        AddSignature(called);
                        break;
                    case FieldInfo read:
                        Add(read.DeclaringType);
                        Add(read.FieldType);
                        break;
                }
            }
        }
        return found;
    }

    // The members and types that the instructions of one method body name by metadata token.
    private static IEnumerable<MemberInfo> Tokens(MethodBase method, byte[] il)
    {
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (int at = 0; at < il.Length;)
        {
            short value = il[at] == 0xFE ? (short)(0xFE00 | il[at + 1]) : il[at];
            at += il[at] == 0xFE ? 2 : 1;
            var opCode = OpCodesByValue[value];
            switch (opCode.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineTok or OperandType.InlineType:
                    yield return method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments)!;
                    at += 4;
                    break;
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    at += 1;
                    break;
                case OperandType.InlineVar:
                    at += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    at += 8;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    // InlineBrTarget, InlineI, InlineSig, InlineString, ShortInlineR: a four-byte operand that names no member.
                    at += 4;
                    break;
            }
        }
    }
}
