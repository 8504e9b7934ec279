"""Evaluating, selecting and comparing networks (skill 15), one module per step:

- `splits`: k-fold cross-validation (`kfold_indices`, `stack_folds`); the train / validation /
  test split itself is `nnlab.data.train_val_test_split`.
- `side_by_side`: `fit_mlps` trains many small regression networks at once (one per seed,
  fold or training set) and returns an `Ensemble`.
- `stopping`: `early_stopping` picks the step with the lowest validation loss.
- `comparison`: `paired_comparison` of two models scored on the same folds and seeds.
- `decomposition`: the bias-variance decomposition (`resample_training_sets`, `bias_variance`).
- `experiments`: the chapter's experiments as single calls (`selection_optimism`, `width_sweep`,
  `cv_scores`, `bias_variance_sweep`) and the one-point hand computation
  (`refit_decomposition`, `variance_check`).

The scores themselves (accuracy, mean squared error, log loss) are `nnlab.nn.metrics`. This
file only gathers the parts' public names, so ``from nnlab.course import evaluation`` gives
all of them.
"""

from .comparison import PairedComparison, paired_comparison
from .decomposition import BiasVariance, bias_variance, resample_training_sets
from .experiments import (
    SelectionOptimism,
    WidthSweep,
    bias_variance_sweep,
    cv_scores,
    refit_decomposition,
    selection_optimism,
    variance_check,
    width_sweep,
)
from .side_by_side import Ensemble, fit_mlps
from .splits import Fold, kfold_indices, stack_folds
from .stopping import EarlyStop, early_stopping

__all__ = [
    "BiasVariance",
    "EarlyStop",
    "Ensemble",
    "Fold",
    "PairedComparison",
    "SelectionOptimism",
    "WidthSweep",
    "bias_variance",
    "bias_variance_sweep",
    "cv_scores",
    "early_stopping",
    "fit_mlps",
    "kfold_indices",
    "paired_comparison",
    "refit_decomposition",
    "resample_training_sets",
    "selection_optimism",
    "stack_folds",
    "variance_check",
    "width_sweep",
]
