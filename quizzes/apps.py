from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save


class QuizzesConfig(AppConfig):
    name = "quizzes"

    def ready(self) -> None:
        from quizzes import signin
        from quizzes.auth import forget_saved_user
        from quizzes.models import User
        from quizzes.models.content import ContentModel, bump_content_stamp

        # Any write to content (what a cached question carries) moves every cache to new keys
        # (see ContentStamp). Bulk writes send no signal: ContentQuerySet bumps it for them.
        for model in self.get_models():
            if not issubclass(model, ContentModel):
                continue
            for signal in (post_save, post_delete):
                signal.connect(
                    bump_content_stamp, sender=model, dispatch_uid=f"content-stamp-{model.__name__}"
                )
        # The signed-in user is read from the cache (quizzes/auth.py): a saved or deleted user
        # moves to a new cache key.
        for signal in (post_save, post_delete):
            signal.connect(forget_saved_user, sender=User, dispatch_uid=f"user-cache-{signal}")
        # Every sign-in (the site's, the admin's, sign-up) gets its session's end and a device
        # cookie; a wrong password from a trusted browser counts against that browser.
        user_logged_in.connect(signin.signed_in, dispatch_uid="signin-signed-in")
        user_login_failed.connect(signin.count_device_failure, dispatch_uid="signin-device-failure")
