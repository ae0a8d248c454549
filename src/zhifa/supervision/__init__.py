"""监督: alerts, notices, case file review, appraisal, 执法评议 and 双向案件咨询 (docs/supervision.md)."""
