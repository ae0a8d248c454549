"""Read-only admin of the training records."""

from django.contrib import admin

from zhifa.core.admin import ReadOnlyAdmin

from .models import Attendance, Course, Exam, ExamScore, LegalExamCandidate, Support, TrainingPlan

for model in (TrainingPlan, Course, Attendance, Exam, ExamScore, LegalExamCandidate, Support):
    admin.site.register(model, ReadOnlyAdmin)
