import pytest

from hw4all.workforce.dataset import dataset_forget


@pytest.fixture(autouse=True)
def _fresh_dataset():
    # A rolled-back import run can give the next test's run the same id: read the data again.
    dataset_forget()
    yield
    dataset_forget()
