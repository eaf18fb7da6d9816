// The client of easel-server: plain C++, the public engine headers and the HTTP library.
#include <string>
#include <httplib.h>
#include "engine/api/request.h"
#include "engine/service/generator.h"
