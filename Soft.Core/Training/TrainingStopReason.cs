namespace Soft.Training;

/// <summary>Why a stage stopped training.</summary>
public enum TrainingStopReason
{
    /// <summary>It ran every epoch of <see cref="TrainingOptions.MaxEpochs"/>.</summary>
    MaxEpochs,

    /// <summary>The validation metric did not improve for <see cref="TrainingOptions.EarlyStoppingPatience"/> epochs in a row.</summary>
    EarlyStopped,

    /// <summary>
    /// <see cref="TrainingOptions.MaxConsecutiveNonFiniteSteps"/> steps in a row had a NaN or infinite loss or gradient
    /// norm; the epoch in progress was dropped and the best finished epoch was kept.
    /// </summary>
    NonFinite,
}
