"""The eval suite: golden sets (sets/), metrics, the runner behind `kb eval`, its report and CI gate."""
