import sys

from localchat.cli.main import main

sys.exit(main())
