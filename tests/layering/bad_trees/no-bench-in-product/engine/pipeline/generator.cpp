// no-bench-in-product: a benchmark helper in the pipeline (pipeline -> bench is no cycle).
#include "engine/bench/random_models.h"
