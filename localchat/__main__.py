import sys

# the child of core/inference/cpu_check in a frozen bundle
if sys.argv[1:2] == ["--check-amx"] and len(sys.argv) == 3:
    from localchat.core.inference.cpu_check import run_probe

    sys.exit(run_probe(sys.argv[2]))

from localchat.launcher import main

sys.exit(main())
