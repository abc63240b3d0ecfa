from mediagate.cli import main

raise SystemExit(main())
