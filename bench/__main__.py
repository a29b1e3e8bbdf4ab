"""`python -m bench`: measure, write the JSON, render the Markdown and SVG."""

from bench.run import main

raise SystemExit(main())
