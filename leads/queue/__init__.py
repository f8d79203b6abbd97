"""The queue every lead package uses: the outbox, its event vocabulary and the one worker loop."""
