"""Simulators of the networks Chorus cannot run here (Mastodon, LinkedIn, X,
Meta), built to their documented APIs: test tools only. Production code
never talks to them specially: a connector's own httpx client is given a
SimulatorTransport, and every request it makes lands in the simulator."""
