"""`kiosk bench`: the benchmarks of the build, the sheets, the townships and the desk, with the offline Chromium
they and the browser tests drive; outside the runtime package (needs the `bench` extra). May import: kiosk and all of it."""
