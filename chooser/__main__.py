from chooser.cli.entry import main

raise SystemExit(main())
