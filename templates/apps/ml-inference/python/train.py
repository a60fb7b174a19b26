"""Trains the model the function serves and saves it into a folder: `python train.py /opt/ml/model`.

The Dockerfile runs it in a build stage, with the libraries the function loads the model with, and
copies the folder into the image as a layer of its own; the unit tests run it into a temporary folder.
The data is the iris data set that scikit-learn ships (150 flowers, 4 measurements, 3 species): nothing
is downloaded. To serve your own model, save it here (or copy it in) in the same two files.
"""

import json
import sys
from pathlib import Path

import joblib
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"


def train(model_dir: Path) -> None:
    """Fit the classifier and write it with what the handler needs to know about its input and output."""
    iris = load_iris()
    # A fixed seed and one thread: the same data and versions give the same model on every build.
    model = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1)
    model.fit(iris.data, iris.target)
    model_dir.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, model_dir / MODEL_FILE)
    metadata = {"features": list(iris.feature_names), "classes": [str(c) for c in iris.target_names]}
    (model_dir / METADATA_FILE).write_text(json.dumps(metadata, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python train.py <model folder>")
    train(Path(sys.argv[1]))
