from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self) -> None:
        from quizzes.models.content import (
            Choice,
            Question,
            Quiz,
            SourceDocument,
            Topic,
            bump_content_stamp,
        )

        # Any write to what a cached question carries moves every cache to new keys (see
        # ContentStamp). Bulk writes (update(), bulk_create()) send no signal: they bump it
        # themselves.
        for model in (SourceDocument, Topic, Quiz, Question, Choice):
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_content_stamp, sender=model, dispatch_uid=f"content-stamp-{model.__name__}"
                )
