from chainproof.cli import main

raise SystemExit(main())
