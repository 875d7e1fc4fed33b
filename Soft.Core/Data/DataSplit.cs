namespace Soft.Data;

/// <summary>The three parts of a dataset.</summary>
public enum DataSplit
{
    /// <summary>Training samples.</summary>
    Train,

    /// <summary>Validation samples (early stopping, curriculum distance).</summary>
    Valid,

    /// <summary>Test samples.</summary>
    Test,
}
