namespace Pipelines.Stages.Dedup;

/// <summary>Disjoint sets over 0..n−1 with path halving and union by smaller root index (deterministic roots).</summary>
public sealed class UnionFind
{
    private readonly int[] _parent;

    /// <summary>Creates <paramref name="count"/> singleton sets.</summary>
    public UnionFind(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _parent = new int[count];
        for (int i = 0; i < count; i++)
        {
            _parent[i] = i;
        }
    }

    /// <summary>Number of elements.</summary>
    public int Count => _parent.Length;

    /// <summary>The root of <paramref name="x"/>'s set: always the smallest element of the set.</summary>
    public int Find(int x)
    {
        while (_parent[x] != x)
        {
            _parent[x] = _parent[_parent[x]];
            x = _parent[x];
        }

        return x;
    }

    /// <summary>Joins the sets of <paramref name="x"/> and <paramref name="y"/>; returns false when already joined.</summary>
    public bool Union(int x, int y)
    {
        int rootX = Find(x), rootY = Find(y);
        if (rootX == rootY)
        {
            return false;
        }

        // The smaller index becomes the root, so the root is the set minimum whatever the union order.
        if (rootX < rootY)
        {
            _parent[rootY] = rootX;
        }
        else
        {
            _parent[rootX] = rootY;
        }

        return true;
    }
}
