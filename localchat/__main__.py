import sys

from localchat.launcher import main

sys.exit(main())
