// The CLI: plain C++, the service, internal engine headers and the bench commands.
#include <iostream>
#include "engine/service/generation_service.h"
#include "engine/io/model_detect.h"
#include "engine/bench/fixtures.h"
