"""Fixtures shared by the AppTests (``streamlit.testing.v1``): the app on the sample data.

``sample_folder`` is the folder of the sample files (:func:`tests.conftest.sample_dir`),
``flagged_calls`` the sample's calls as the app prepares them (FCR flags added);
``new_app`` makes a fresh app session on the sample and ``app`` is one such session; ``downloads``
records every ``st.download_button`` a page draws. A test module sets ``TIMEOUT_S`` when its
pages need longer than :data:`DEFAULT_TIMEOUT_S` per run; a module may define a fixture of
the same name to replace one of these (pytest takes the nearest).
"""

from __future__ import annotations

import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from ccmetrics import kpi, sample
from ccmetrics.schema import KpiSettings
from tests.conftest import REPO_ROOT, sample_dir

#: Seconds an app run may take unless the test module sets ``TIMEOUT_S``.
DEFAULT_TIMEOUT_S = 60


@pytest.fixture(scope="session")
def sample_folder():
    """The folder holding the sample files."""
    return sample_dir()


@pytest.fixture(scope="module")
def flagged_calls(sample_calls):
    """The sample as the app prepares it: loaded, FCR flags on the whole frame."""
    return kpi.add_fcr_flags(sample_calls, KpiSettings())


@pytest.fixture
def new_app(sample_folder, monkeypatch, request):
    """Make a fresh app session on the sample data (AppTest runs in this process)."""
    monkeypatch.setattr(sample, "SAMPLE_DIR", sample_folder)
    timeout = getattr(request.module, "TIMEOUT_S", DEFAULT_TIMEOUT_S)
    return lambda: AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=timeout)


@pytest.fixture
def app(new_app):
    """A fresh app session on the sample data."""
    return new_app()


@pytest.fixture
def downloads(monkeypatch):
    """Every st.download_button drawn in the last runs: {file name: (label, data)}."""
    captured: dict[str, tuple[str, object]] = {}
    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        captured[kwargs.get("file_name")] = (label, data)
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return captured
