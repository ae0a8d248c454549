"""改革报告: monthly and annual reports of the reform, built in the background."""
