# cmake -DCLI=easel-cli -DGOLDEN=dir -DWORK=dir -P generate_roundtrip.cmake
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})

function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    set(LAST_OUTPUT "${out}" PARENT_SCOPE)
endfunction()

# txt2img with A1111-style options, written as PNG with parameters.
run(${CLI} generate -m ${GOLDEN}/models/sd1_tiny.safetensors -p "a photo of a cat, (fluffy:1.3)" -n "blurry"
    --sampler euler_ancestral --scheduler karras --steps 3 -W 64 -H 64 -s 4242 --rng cpu --clip-skip 2
    -o ${WORK}/first.png --quiet)
run(${CLI} png-info ${WORK}/first.png --json)
foreach(expected "\"Seed\": \"4242\"" "\"Sampler\": \"Euler a\"" "\"Schedule type\": \"Karras\"" "\"Size-1\": \"64\""
                 "\"RNG\": \"CPU\"" "\"Clip skip\": \"2\"")
    string(FIND "${LAST_OUTPUT}" "${expected}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "png-info lacks ${expected}:\n${LAST_OUTPUT}")
    endif()
endforeach()

# Reproduce from the PNG's metadata alone, without -m: the checkpoint is found by the image's
# "Model hash"/"Model" in an A1111-layout model folder. The same file, byte for byte.
file(COPY ${GOLDEN}/models/sd1_tiny.safetensors ${GOLDEN}/models/sd1_tiny.yaml
     DESTINATION ${WORK}/models/Stable-diffusion/mine)
run(${CLI} generate --models-dir ${WORK}/models --from-png ${WORK}/first.png -o ${WORK}/again.png --quiet)
file(SHA256 ${WORK}/first.png a)
file(SHA256 ${WORK}/again.png b)
if(NOT a STREQUAL b)
    message(FATAL_ERROR "--from-png did not reproduce the image")
endif()
# Without a folder that holds it, the missing checkpoint is named with where it was looked for.
execute_process(COMMAND ${CLI} generate --from-png ${WORK}/first.png -o ${WORK}/lost.png --quiet
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "sd1_tiny" OR NOT err MATCHES "not found" OR EXISTS ${WORK}/lost.png)
    message(FATAL_ERROR "a missing checkpoint was not reported clearly: ${err}")
endif()

# --tiling (A1111 Tiling): recorded as "Tiling: True", reproduced by --from-png without the flag,
# and a different image than the same seed without it.
run(${CLI} generate -m ${GOLDEN}/models/sd1_tiny.safetensors -p "a brick wall" --steps 2 -W 64 -H 64 -s 5 --tiling
    -o ${WORK}/tiled.png --quiet)
run(${CLI} png-info ${WORK}/tiled.png --json)
string(FIND "${LAST_OUTPUT}" "\"Tiling\": \"True\"" at)
if(at EQUAL -1)
    message(FATAL_ERROR "png-info lacks Tiling: True:\n${LAST_OUTPUT}")
endif()
run(${CLI} generate --models-dir ${WORK}/models --from-png ${WORK}/tiled.png -o ${WORK}/tiled_again.png --quiet)
run(${CLI} generate -m ${GOLDEN}/models/sd1_tiny.safetensors -p "a brick wall" --steps 2 -W 64 -H 64 -s 5
    -o ${WORK}/plain.png --quiet)
file(SHA256 ${WORK}/tiled.png a)
file(SHA256 ${WORK}/tiled_again.png b)
file(SHA256 ${WORK}/plain.png c)
if(NOT a STREQUAL b OR a STREQUAL c)
    message(FATAL_ERROR "--tiling: --from-png did not reproduce the tiled image, or tiling changed nothing")
endif()

# A pattern: one file per image, named by the one naming function, an existing file never replaced.
foreach(pass 1 2)
    run(${CLI} generate --models-dir ${WORK}/models -m sd1_tiny -p "a cat" --steps 1 -W 64 -H 64 -s 7
        --batch-size 2 -o "${WORK}/pattern/{model}/{seed}.png" --quiet)
endforeach()
foreach(name sd1_tiny/7.png sd1_tiny/8.png sd1_tiny/7-2.png sd1_tiny/8-2.png)
    if(NOT EXISTS ${WORK}/pattern/${name})
        file(GLOB_RECURSE made RELATIVE ${WORK}/pattern ${WORK}/pattern/*)
        message(FATAL_ERROR "pattern output lacks ${name}; made: ${made}")
    endif()
endforeach()

# Unknown sampler: non-zero exit, the valid names listed, no file written.
execute_process(COMMAND ${CLI} generate -m ${GOLDEN}/models/sd1_tiny.safetensors -p x --sampler bogus
                -o ${WORK}/bad.png --quiet RESULT_VARIABLE rc ERROR_VARIABLE err)
if(rc EQUAL 0 OR NOT err MATCHES "Euler" OR EXISTS ${WORK}/bad.png)
    message(FATAL_ERROR "unknown sampler was not refused clearly: ${err}")
endif()
message(STATUS "cli round trip ok")
