import os
import sys

from bench.run_all import main

code = main()
# The table is out. Leave without the interpreter's final garbage collection: with several
# windows and llama.cpp models made and freed in one process, it has crashed in a C extension
# (a refcount error, PySide6 6.12) after the work was done.
sys.stdout.flush()
sys.stderr.flush()
os._exit(code)
