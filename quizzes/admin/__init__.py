"""The teacher's workshop: the Django admin, made for teachers (see access.py for who may do
what, content.py for question banks, classes.py for classes and results)."""

from django.contrib import admin

from quizzes.admin import accounts, classes, content  # noqa: F401  (they register the models)

admin.site.site_header = "quizsite: the teacher's workshop"
admin.site.site_title = "quizsite teachers"
admin.site.index_title = "Your workshop"
# The sidebar lists every table: a database browser's view. Teachers get the page's full width.
admin.site.enable_nav_sidebar = False
