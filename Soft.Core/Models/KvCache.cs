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

    public KvCache(int layers)
    {
        _keys = new Tensor?[layers];
        _values = new Tensor?[layers];
    }

    /// <summary>Cached sequence length (0 before the first forward).</summary>
    public long Length => _keys[0]?.shape[2] ?? 0;

    /// <summary>Appends this step's keys and values of <paramref name="layer"/> and returns the full ones.</summary>
    public (Tensor Keys, Tensor Values) Append(int layer, Tensor keys, Tensor values)
    {
        _keys[layer] = Grow(_keys[layer], keys);
        _values[layer] = Grow(_values[layer], values);
        return (_keys[layer]!, _values[layer]!);
    }

    /// <summary>Keeps, for each new row, the cache row <paramref name="rows"/>[i] (beam parents, batch expansion).</summary>
    public void Reorder(Tensor rows)
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            _keys[i] = Replace(_keys[i], t => t.index_select(0, rows));
            _values[i] = Replace(_values[i], t => t.index_select(0, rows));
        }
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
