import sys

if sys.argv[1:] == ["--check-amx"]:  # the child of core/inference/cpu_check in a frozen bundle
    from localchat.core.inference.cpu_check import run_probe

    sys.exit(run_probe())

from localchat.launcher import main

sys.exit(main())
