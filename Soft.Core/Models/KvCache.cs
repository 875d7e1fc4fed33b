using static TorchSharp.torch;

namespace Soft.Models;

/// <summary>
/// Keys and values of every layer for the tokens seen so far, shaped (B, kv_heads, S, head_dim).
/// The cache owns its tensors (detached from dispose scopes) and frees them on replacement and on dispose.
/// </summary>
internal sealed class KvCache : IDisposable
{
    private readonly Tensor?[] _keys;
    private readonly Tensor?[] _values;
    // A prefix view: Append returns the concatenation without keeping it, and Dispose frees nothing (the owner does).
    private readonly bool _prefix;

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    private KvCache(Tensor?[] keys, Tensor?[] values)
    {
        _keys = keys;
        _values = values;
        _prefix = true;
    }

    /// <summary>Cached sequence length (0 before the first forward).</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values of <paramref name="layer"/> and returns the full ones.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        if (_prefix)
            return (cat([_keys[layer]!, keys], 2), cat([_values[layer]!, values], 2));
        _keys[layer] = Grow(_keys[layer], keys);
        _values[layer] = Grow(_values[layer], values);
        return (_keys[layer]!, _values[layer]!);
    }

    /// <summary>Keeps, for each new row, the cache row <paramref name="rows"/>[i] (beam parents, batch expansion).</summary>
    public void Reorder(Tensor rows)
    {
        if (_prefix)
            throw new InvalidOperationException("A prefix view is read-only; reorder the cache it was made from.");
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Replace(_keys[i], t => t.index_select(0, rows));
            _values[i] = Replace(_values[i], t => t.index_select(0, rows));
        }
    }

    /// <summary>
    /// A read-only view of this cache as a shared prefix: a forward pass through it attends to the cached tokens and
    /// its own, and the cache stays as it is (the step's keys and values belong to the caller's dispose scope). The
    /// view shares this cache's tensors; dispose this cache, not the view, to free them.
    /// </summary>
    public KvCache AsPrefix()
    {
        if (_keys.Any(k => k is null))
            throw new InvalidOperationException("A prefix view needs a filled cache; run the prefix first.");
        return new KvCache([.. _keys], [.. _values]);
    }

    /// <summary>A new cache holding <paramref name="rows"/> copies of this cache's row 0 (a shared prompt, expanded).</summary>
    public KvCache Repeat(int rows)
    {
        var copy = new KvCache(_keys.Length);
        for (int i = 0; i < _keys.Length; i++)
        {
            copy._keys[i] = Expand(_keys[i], rows);
            copy._values[i] = Expand(_values[i], rows);
        }
        return copy;
    }

    public void Dispose()
    {
        if (_prefix)
            return;
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i]?.Dispose();
            _values[i]?.Dispose();
            _keys[i] = _values[i] = null;
        }
    }

    private static Tensor Grow(Tensor? old, Tensor step)
    {
        // A copy, not the step tensor itself: the caller's dispose scope owns that one.
        var grown = old is null ? step.clone() : cat([old, step], 2);
        grown.DetachFromDisposeScope();
        old?.Dispose();
        return grown;
    }

    private static Tensor? Expand(Tensor? row, int rows)
    {
        if (row is null)
            return null;
        var expanded = row.narrow(0, 0, 1).expand(rows, -1, -1, -1).contiguous();
        expanded.DetachFromDisposeScope();
        return expanded;
    }

    private static Tensor? Replace(Tensor? old, Func<Tensor, Tensor> map)
    {
        if (old is null)
            return null;
        var fresh = map(old);
        fresh.DetachFromDisposeScope();
        old.Dispose();
        return fresh;
    }
}
