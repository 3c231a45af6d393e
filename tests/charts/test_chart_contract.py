"""The charts restate the scheduling contract in their values; these tests keep them equal to contract/__init__.py."""

import pytest

import chartkit
import contract


def scheduling(chart):
    return chartkit.chart_values(chart)["global"]["scheduling"]


@pytest.mark.parametrize("chart", chartkit.CHARTS)
def test_general_services_select_the_contract_pool_and_arch_labels(chart):
    values = scheduling(chart)
    assert (values["poolLabel"], values["generalPool"], values["archLabel"]) == (
        contract.POOL_LABEL,
        contract.GENERAL_POOL.labels[contract.POOL_LABEL],
        contract.ARCH_LABEL,
    )


@pytest.mark.parametrize("chart", chartkit.CHARTS)
def test_gpu_services_use_the_contract_gpu_label_resource_and_taint(chart):
    gpu = scheduling(chart)["gpu"]
    assert (gpu["resource"], gpu["nodeLabelKey"], gpu["nodeLabelValue"]) == (
        contract.GPU_RESOURCE,
        contract.GPU_NODE_LABEL_KEY,
        contract.GPU_NODE_LABEL_VALUE,
    )
    assert gpu["taint"] == {
        "key": contract.GPU_TAINT.key,
        "value": contract.GPU_TAINT.value,
        "effect": contract.GPU_TAINT.effect,
    }


def test_the_gpu_pool_of_the_contract_carries_the_label_the_charts_require():
    gpu = scheduling("deepgram")["gpu"]
    assert contract.GPU_POOL.labels[gpu["nodeLabelKey"]] == gpu["nodeLabelValue"]
    assert contract.GPU_TAINT in contract.GPU_POOL.taints
