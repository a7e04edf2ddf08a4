from hypothesis import settings

# CI machines are shared and slow at times: judge properties, not speed.
settings.register_profile("default", deadline=None, max_examples=200)
settings.load_profile("default")
