"""End the live games nobody has moved on for two hours (quizzes/live/game.py IDLE_AFTER), and
record any revealed answer a stopped process left unrecorded. A game is also ended when it is
next opened; this ends the ones nobody opens again. Run it from cron, e.g. every 15 minutes."""

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from quizzes.live import screens
from quizzes.models.live import end_idle_games, record_revealed


class Command(BaseCommand):
    help = "End live games left idle for two hours."

    def handle(self, *args: Any, **options: Any) -> None:
        ended = end_idle_games(timezone.now())
        for game in ended:
            screens.publish_move(game)
            record_revealed(game)
        self.stdout.write(f"{len(ended)} idle live game{'' if len(ended) == 1 else 's'} ended.")
