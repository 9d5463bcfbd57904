from django.urls import path

from quizzes.views import classes, insight, live, progress, roster, students

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
    path("progress/", progress.my_progress, name="progress"),
    path("progress/mistakes/", progress.mistakes, name="mistakes"),
    path("progress/mistakes/practise/", progress.practise, name="practise"),
    path("progress/review/", progress.review, name="review"),
    path("progress/my-data.csv", progress.my_data, name="my_data"),
    path("students/<int:user_id>/progress/", progress.student_progress, name="student_progress"),
    # Classes and leaderboards (issue 7): views in quizzes/views/classes.py
    path("classes/", classes.my_classes, name="classes"),
    path("classes/join/", classes.join_class, name="join_class"),
    path("classes/new/", classes.create_class, name="create_class"),
    path("classes/privacy/", classes.leaderboard_privacy, name="leaderboard_privacy"),
    path("classes/<int:classroom_id>/", classes.classroom, name="classroom"),
    path("classes/<int:classroom_id>/manage/", classes.manage_class, name="manage_class"),
    path("classes/<int:classroom_id>/code/", classes.regenerate_code, name="regenerate_code"),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/remove/",
        classes.remove_student,
        name="remove_student",
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/unlock/",
        classes.unlock_student,
        name="unlock_student",
    ),
    # Accounts for a class and their login cards (issue 20): quizzes/views/roster.py
    path("classes/<int:classroom_id>/students/add/", roster.add_students, name="add_students"),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/login/",
        roster.student_login,
        name="student_login",
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/login/password/",
        roster.reset_student_password,
        name="reset_student_password",
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/login/card/",
        roster.new_login_card,
        name="new_login_card",
    ),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/login/link/",
        roster.turn_off_signin_link,
        name="turn_off_signin_link",
    ),
    path("classes/<int:classroom_id>/assignments/", classes.assign_quiz, name="assign_quiz"),
    path(
        "classes/<int:classroom_id>/assignments/<int:assignment_id>/remove/",
        classes.unassign_quiz,
        name="unassign_quiz",
    ),
    path("classes/<int:classroom_id>/gradebook/", classes.gradebook, name="gradebook"),
    path("classes/<int:classroom_id>/gradebook.csv", classes.gradebook_csv, name="gradebook_csv"),
    # Class insight and printing a quiz (issue 20): views in quizzes/views/insight.py
    path("classes/<int:classroom_id>/insight/", insight.class_insight, name="class_insight"),
    path(
        "classes/<int:classroom_id>/insight/topics/<int:topic_id>/practice/",
        insight.topic_practice,
        name="topic_practice",
    ),
    path("teach/quizzes/<int:quiz_id>/sheet/", insight.quiz_sheet, name="quiz_sheet"),
    path("teach/quizzes/<int:quiz_id>/key/", insight.answer_key, name="answer_key"),
    # The live class game (issue 22): views in quizzes/views/live.py
    path("classes/<int:classroom_id>/live/", live.start, name="live_start"),
    path(
        "classes/<int:classroom_id>/students/<int:student_id>/extra-time/",
        live.extra_time,
        name="live_extra_time",
    ),
    path("live/<str:code>/", live.phone, name="live_phone"),
    path("live/<str:code>/answer/", live.answer, name="live_answer"),
    path("live/<str:code>/events/", live.events, name="live_events"),
    path("live/<str:code>/host/", live.host, name="live_host"),
    path("live/<str:code>/host/events/", live.host_events, name="live_host_events"),
    path("live/<str:code>/host/<slug:action>/", live.host_move, name="live_move"),
]
