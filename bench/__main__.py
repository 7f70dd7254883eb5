from bench.common import leave
from bench.run_all import main

leave(main())
