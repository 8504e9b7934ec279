"""Looking inside a trained network, one module per question:

- `scores`: score functions (a batch ``X`` of shape (n, d) -> n scores, one per row) and
  `score_function(net)`, a network's logit as one.
- `attribution`: per-example attributions (`saliency`, `gradient_times_input`,
  `integrated_gradients`, `occlusion_attributions`), and `point_attributions` /
  `attribution_readout` for one point.
- `perturbation`: global feature importance from the drop in accuracy
  (`occlusion_importance`, `permutation_importance`).
- `units`: surgery on hidden units (`hidden_activations`, `ablate_units`,
  `reparametrize_hidden`, `copy_net`).
- `boundaries`: decision maps and distances to the decision boundary.
- `box_rule`: a readable baseline model, `fit_box_rule`.
- `baselines`: the baseline's own score and integrated gradients under several baselines
  (`boundary_baseline`, `compare_baselines`, `baseline_table`).
- `by_hand`: the pencil-and-paper computations behind worked solutions and self-checks
  (imported as a submodule: ``interpret.by_hand``).

This file only gathers their public names, so ``from nnlab.course import interpret`` gives
all of them.
"""

from . import by_hand
from .attribution import (
    IGResult,
    attribution_readout,
    gradient_times_input,
    input_gradients,
    integrated_gradients,
    occlusion_attributions,
    point_attributions,
    saliency,
)
from .baselines import BaselineRow, baseline_table, boundary_baseline, compare_baselines
from .boundaries import decision_map, distance_to_boundary
from .box_rule import BoxRule, fit_box_rule
from .perturbation import Importance, occlusion_importance, permutation_importance
from .scores import score_function
from .units import ablate_units, copy_net, hidden_activations, reparametrize_hidden

__all__ = [
    "BaselineRow",
    "BoxRule",
    "IGResult",
    "Importance",
    "ablate_units",
    "attribution_readout",
    "baseline_table",
    "boundary_baseline",
    "by_hand",
    "compare_baselines",
    "copy_net",
    "decision_map",
    "distance_to_boundary",
    "fit_box_rule",
    "gradient_times_input",
    "hidden_activations",
    "input_gradients",
    "integrated_gradients",
    "occlusion_attributions",
    "occlusion_importance",
    "permutation_importance",
    "point_attributions",
    "reparametrize_hidden",
    "saliency",
    "score_function",
]
