from django.urls import path

from quizzes.views import students

app_name = "quizzes"

urlpatterns = [
    path("", students.home, name="home"),
    path("quizzes/<slug:slug>/", students.quiz_detail, name="quiz"),
    path("quizzes/<slug:slug>/start/", students.start_quiz, name="start"),
    path("attempts/<int:attempt_id>/", students.attempt_page, name="attempt"),
    path("attempts/<int:attempt_id>/results/", students.results, name="results"),
    path("attempts/<int:attempt_id>/questions/<int:number>/", students.feedback, name="feedback"),
    path(
        "attempts/<int:attempt_id>/questions/<int:number>/answer/",
        students.answer,
        name="answer",
    ),
    path("sources/<slug:slug>/", students.source, name="source"),
    # Progress, mastery and spaced review (issue 6): views in quizzes/views/progress.py
    # Classes and leaderboards (issue 7): views in quizzes/views/classes.py
]
