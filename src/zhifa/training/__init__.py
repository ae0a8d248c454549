"""执法保障·培训: training plans, courses, attendance, exams, legal qualification, support teams."""
