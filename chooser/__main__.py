from chooser.cli import main

raise SystemExit(main())
