import numpy as np

from evaluate import metrics, roc_auc


def test_roc_auc_matches_hand_computed_values():
    assert roc_auc(np.array([0.1, 0.4, 0.35, 0.8]), np.array([0, 0, 1, 1])) == 0.75
    assert roc_auc(np.array([0.9, 0.8, 0.1]), np.array([1, 1, 0])) == 1.0
    assert roc_auc(np.array([0.5, 0.5]), np.array([1, 0])) == 0.5  # ties count half


def test_metrics_confusion_and_f1():
    m = metrics(np.array([0.9, 0.2, 0.6, 0.4]), np.array([1, 0, 0, 1]))
    assert m["accuracy"] == 0.5
    assert m["confusion"] == {"true_positive": 1, "true_negative": 1, "false_positive": 1, "false_negative": 1}
    assert m["f1"] == 0.5
