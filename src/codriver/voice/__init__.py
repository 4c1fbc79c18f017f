"""Voice (extra ``[voice]``): hands-free, offline, in both languages — wake word, voice activity,
speech recognition, the assistant, speech synthesis, barge-in and follow-ups, as a pipeline of
small stages passing typed frames (:mod:`codriver.voice.pipeline`)."""
