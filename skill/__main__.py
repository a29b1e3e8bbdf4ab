from skill.cli import main

raise SystemExit(main(prog="python -m skill"))
