# cmake -DEASEL_ROOT=<tree> [-DLAYERING_VERBOSE=ON] -P check_layering.cmake
#
# Checks every #include of the C++ sources of a tree against the layering of docs/ARCHITECTURE.md.
# Each violation is printed on its own line as "<rule-id>: <file>:<line>: <include> (why)"; the script fails
# (non-zero exit) if there is any. The rules, one function each below:
#
#   ui-public-engine          ui/ and app/ (not app/cli/, app/server/ or app/fleet/, not the engine adapter) include from the engine
#                             only engine/api/, engine/catalog/, engine/service/
#   no-qt-in-cli              no Qt in app/cli/, app/server/, app/fleet/ and app/remote/ (the studio's client of the server)
#   no-qt-in-engine           no Qt in engine/ (engine/service included)
#   engine-folder-cycle       the include graph between engine/<folder>s has no cycle
#   no-bench-in-product       only engine/bench/, app/cli/ and tests/ include engine/bench/
#   public-headers-plain      engine/api and engine/service headers include only std, api and service headers
#   torch-cv-in-engine-only   torch and OpenCV only inside engine/
#   widgets-in-ui-only        QtWidgets only in ui/ and app/gui/
#   api-no-torch-cv           no torch/OpenCV in engine/api/ sources (its headers: public-headers-plain)
#   catalog-no-torch-cv       no torch/OpenCV in engine/catalog/
#
# Scanned: every top-level folder of the tree except tests/ (tests may include anything, and the
# self-test trees under tests/layering must not be read as part of the real tree), hidden folders,
# build*/ and out/. A quoted include that names a file next to the includer ("job.h", "../x/y.h") is
# read as that file's path from the root, so it counts like the full "engine/<folder>/..." spelling.
# Self-tests: tests/layering/bad_trees/<rule-id>/ breaks exactly one rule each; good_tree/ breaks none.
# LAYERING_VERBOSE=ON also prints the engine folder graph.

cmake_minimum_required(VERSION 3.16)

if(NOT EASEL_ROOT)
    message(FATAL_ERROR "EASEL_ROOT not set")
endif()
get_filename_component(EASEL_ROOT "${EASEL_ROOT}" ABSOLUTE)
if(NOT IS_DIRECTORY "${EASEL_ROOT}")
    message(FATAL_ERROR "EASEL_ROOT is not a folder: ${EASEL_ROOT}")
endif()

# --- what an include is -------------------------------------------------------------------------

set(TORCH_RE "^(torch|ATen|c10|caffe2)/")
set(CV_RE "^opencv2?/")
# <QString>, <QtCore>, <QtCore/QString>.
set(QT_RE "^(Q[A-Z][A-Za-z0-9]*|Qt[A-Z][A-Za-z0-9]*(/.*)?)$")
set(WIDGETS_RE "^(QtWidgets(/.*)?|Q(Widget|MainWindow|Application|Dialog|PushButton|Label|LineEdit|PlainTextEdit|TextEdit|DockWidget|MenuBar|Menu|StatusBar|ToolBar|ListView|TreeView|TableView|GraphicsView|GraphicsScene|ScrollArea|Slider|SpinBox|DoubleSpinBox|ComboBox|CheckBox|Layout|VBoxLayout|HBoxLayout|GridLayout|FormLayout|MessageBox|FileDialog|Splitter|TabWidget|GroupBox|ToolButton|Action|Style|Completer|UndoStack|UndoCommand|ProgressBar|Frame|AbstractItemView|ListWidget|TreeWidget|StackedWidget|RadioButton|ButtonGroup|ColorDialog|InputDialog|AbstractScrollArea|SizePolicy|Shortcut|WidgetAction|ToolTip|SystemTrayIcon))$")

# The C++ standard library headers (C++23), with the <cname> forms of the C headers. The <name.h>
# C forms and POSIX headers are not in the list: a public header spells <cstdint>, not <stdint.h>.
set(STD_HEADERS
    algorithm any array atomic barrier bit bitset charconv chrono codecvt compare complex concepts
    condition_variable coroutine deque exception execution expected filesystem flat_map flat_set
    format forward_list fstream functional future generator initializer_list iomanip ios iosfwd
    iostream istream iterator latch limits list locale map mdspan memory memory_resource mutex new
    numbers numeric optional ostream print queue random ranges ratio regex scoped_allocator
    semaphore set shared_mutex source_location span spanstream sstream stack stacktrace stdexcept
    stdfloat stop_token streambuf string string_view strstream syncstream system_error
    text_encoding thread tuple type_traits typeindex typeinfo unordered_map unordered_set utility
    valarray variant vector version
    cassert ccomplex cctype cerrno cfenv cfloat cinttypes ciso646 climits clocale cmath csetjmp
    csignal cstdalign cstdarg cstdbool cstddef cstdint cstdio cstdlib cstring ctgmath ctime cuchar
    cwchar cwctype)

# --- reading the tree ---------------------------------------------------------------------------

# Sets <out_var> to one record "<file>|<line>|<include>" per include line, <file> relative to
# EASEL_ROOT, <line> its 1-based line number.
function(collect_includes out_var)
    file(GLOB top RELATIVE "${EASEL_ROOT}" LIST_DIRECTORIES true "${EASEL_ROOT}/*")
    list(SORT top)
    set(records "")
    foreach(folder ${top})
        if(NOT IS_DIRECTORY "${EASEL_ROOT}/${folder}" OR folder MATCHES "^(\\.|build|out$|tests$)")
            continue()
        endif()
        set(globs "")
        foreach(ext h hh hpp hxx inl ipp c cc cpp cxx mm)
            list(APPEND globs "${EASEL_ROOT}/${folder}/*.${ext}")
        endforeach()
        file(GLOB_RECURSE files LIST_DIRECTORIES false ${globs})
        list(SORT files)
        foreach(f ${files})
            file(RELATIVE_PATH rel "${EASEL_ROOT}" "${f}")
            get_filename_component(dir "${f}" DIRECTORY)
            file(STRINGS "${f}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
            if(NOT lines)
                continue()
            endif()
            # Line numbers: find each include line in the text after the previous one and count the
            # newlines before it (file(STRINGS) cannot report them).
            file(READ "${f}" rest)
            set(line_no 1)
            foreach(line ${lines})
                # A ';' in a trailing comment splits the line; the pieces after it do not match.
                if(NOT line MATCHES "^[ \t]*#[ \t]*include[ \t]*([<\"])([^>\"]+)[>\"]")
                    continue()
                endif()
                set(quote "${CMAKE_MATCH_1}")
                set(inc "${CMAKE_MATCH_2}")
                string(FIND "${rest}" "${line}" at)
                if(at GREATER -1)
                    string(SUBSTRING "${rest}" 0 ${at} before)
                    string(REGEX MATCHALL "\n" newlines "${before}")
                    list(LENGTH newlines n_newlines)
                    math(EXPR line_no "${line_no} + ${n_newlines}")
                    math(EXPR at "${at} + 1")  # past this line's start: a repeated line is found anew
                    string(SUBSTRING "${rest}" ${at} -1 rest)
                endif()
                if(quote STREQUAL "\"" AND EXISTS "${dir}/${inc}" AND NOT IS_DIRECTORY "${dir}/${inc}")
                    get_filename_component(abs "${dir}/${inc}" ABSOLUTE)
                    file(RELATIVE_PATH from_root "${EASEL_ROOT}" "${abs}")
                    if(NOT from_root MATCHES "^\\.\\./")
                        set(inc "${from_root}")
                    endif()
                endif()
                list(APPEND records "${rel}|${line_no}|${inc}")
            endforeach()
        endforeach()
    endforeach()
    set(${out_var} "${records}" PARENT_SCOPE)
endfunction()

# Splits a record into <file_var> (the path), <where_var> ("<file>:<line>", as messages show it) and
# <inc_var>.
macro(split_record record file_var where_var inc_var)
    if(NOT "${record}" MATCHES "^([^|]*)\\|([0-9]+)\\|(.*)$")
        message(FATAL_ERROR "layering: bad record '${record}'")
    endif()
    set(${file_var} "${CMAKE_MATCH_1}")
    set(${where_var} "${CMAKE_MATCH_1}:${CMAKE_MATCH_2}")
    set(${inc_var} "${CMAKE_MATCH_3}")
endmacro()

function(report rule text)
    string(REPLACE ";" "," text "${text}")  # one violation, one list element
    set_property(GLOBAL APPEND PROPERTY LAYERING_VIOLATIONS "${rule}: ${text}")
    set_property(GLOBAL APPEND PROPERTY LAYERING_RULES_BROKEN "${rule}")
endfunction()

# --- the rules ----------------------------------------------------------------------------------

# ui-public-engine: the widgets (ui/) and the Qt glue (app/) talk to the engine only through its
# public surface: engine/api/ (facade and value types), engine/catalog/ (the catalog's plain C++ data
# API) and engine/service/ (the generation service). An internal header would tie the studio to the
# engine's private layout and, through it, to torch and OpenCV, and would bypass the service, the one
# path from a request to a saved image. Not covered: app/cli/, app/server/ and app/fleet/ (the CLI and
# easel-server with its fleet roles are engine front ends of their own) and app's engine adapter (ENGINE_ADAPTER below). engine/bench/ includes are left to
# no-bench-in-product, so that they are reported once, by the rule about benchmarks.
set(ENGINE_ADAPTER app/engine_controller.h app/engine_controller.cpp)
function(rule_ui_public_engine records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(NOT file MATCHES "^(ui|app)/" OR file MATCHES "^app/(cli|server|fleet)/" OR file IN_LIST ENGINE_ADAPTER)
            continue()
        endif()
        if(inc MATCHES "^engine/" AND NOT inc MATCHES "^engine/(api|catalog|service|bench)/")
            report(ui-public-engine "${where}: <${inc}> (ui includes internal engine header: ui/ and app/ may include only engine/api/, engine/catalog/, engine/service/)")
        endif()
    endforeach()
endfunction()

# no-qt-in-cli: easel-cli and easel-server are built and run without Qt (headless build, server and GPU
# hosts); they talk to the plain C++ service directly. app/remote/, the studio's client of the server,
# is plain C++ as well, so that the Qt adapter (app/engine_controller) stays the one Qt-facing part of
# the studio on a server and plain front ends can use the client too.
function(rule_no_qt_in_cli records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(file MATCHES "^app/(cli|server|fleet|remote)/" AND inc MATCHES "${QT_RE}")
            report(no-qt-in-cli "${where}: <${inc}> (app/cli/, app/server/, app/fleet/ and app/remote/ are plain C++, no Qt)")
        endif()
    endforeach()
endfunction()

# no-qt-in-engine: the engine, the service and the catalog are plain C++ so that the CLI and the server
# use them without Qt; the Qt adapter lives in app/.
function(rule_no_qt_in_engine records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(file MATCHES "^engine/" AND inc MATCHES "${QT_RE}")
            report(no-qt-in-engine "${where}: <${inc}> (engine/ is plain C++, no Qt)")
        endif()
    endforeach()
endfunction()

# engine-folder-cycle: the engine's folders must form an acyclic graph so that each can be read,
# tested and moved on top of the ones below it. Edge A -> B for each '#include "engine/B/..."' in a
# file under engine/A/; self edges and files directly in engine/ are ignored. Nodes that cannot be on
# a cycle are removed repeatedly (no outgoing edge left, as in Kahn's algorithm, or no incoming edge
# left); what remains contains a cycle, and following edges from its first node finds one.
function(rule_engine_folder_cycle records)
    set(nodes "")
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(NOT file MATCHES "^engine/([^/]+)/")
            continue()
        endif()
        set(from "${CMAKE_MATCH_1}")
        if(NOT inc MATCHES "^engine/([^/]+)/")
            continue()
        endif()
        set(to "${CMAKE_MATCH_1}")
        if(from STREQUAL to)
            continue()
        endif()
        list(APPEND nodes "${from}" "${to}")
        if(NOT DEFINED "edge_${from}/${to}")
            list(APPEND "out_${from}" "${to}")
            list(APPEND "in_${to}" "${from}")
            set("edge_${from}/${to}" "${where} includes <${inc}>")
        endif()
    endforeach()
    if(NOT nodes)
        return()
    endif()
    list(REMOVE_DUPLICATES nodes)
    list(SORT nodes)
    if(LAYERING_VERBOSE)
        foreach(n ${nodes})
            set(targets ${out_${n}})
            list(SORT targets)
            string(REPLACE ";" " " targets "${targets}")
            message(STATUS "layering: engine/${n} -> ${targets}")
        endforeach()
    endif()

    # Prune nodes with no outgoing or no incoming edge among the nodes left, until none changes.
    set(left ${nodes})
    set(changed TRUE)
    while(changed)
        set(changed FALSE)
        set(kept "")
        foreach(n ${left})
            set(has_out FALSE)
            foreach(m ${out_${n}})
                if(m IN_LIST left)
                    set(has_out TRUE)
                    break()
                endif()
            endforeach()
            set(has_in FALSE)
            foreach(m ${in_${n}})
                if(m IN_LIST left)
                    set(has_in TRUE)
                    break()
                endif()
            endforeach()
            if(has_out AND has_in)
                list(APPEND kept "${n}")
            else()
                set(changed TRUE)
            endif()
        endforeach()
        # Removing within one pass is safe to defer: a node kept now is checked again next pass.
        set(left ${kept})
    endwhile()
    if(NOT left)
        return()
    endif()

    # Every node left has a successor left: walk first successors until a node repeats.
    list(GET left 0 n)
    set(path "")
    while(NOT n IN_LIST path)
        list(APPEND path "${n}")
        set(next "")
        foreach(m ${out_${n}})
            if(m IN_LIST left AND (next STREQUAL "" OR m STRLESS next))
                set(next "${m}")
            endif()
        endforeach()
        if(next STREQUAL "")
            message(FATAL_ERROR "engine-folder-cycle: internal error, engine/${n} has no successor left")
        endif()
        set(n "${next}")
    endwhile()
    list(FIND path "${n}" start)
    list(LENGTH path len)
    set(cycle "")
    foreach(i RANGE ${start} ${len})
        if(i EQUAL len)
            list(APPEND cycle "${n}")
        else()
            list(GET path ${i} node)
            list(APPEND cycle "${node}")
        endif()
    endforeach()
    string(REPLACE ";" " -> " cycle_text "${cycle}")
    string(REPLACE ";" ", " left_text "${left}")
    report(engine-folder-cycle "${cycle_text} (folders in cycles or between them: ${left_text})")
    list(LENGTH cycle n_cycle)
    math(EXPR last "${n_cycle} - 2")
    foreach(i RANGE 0 ${last})
        math(EXPR j "${i} + 1")
        list(GET cycle ${i} a)
        list(GET cycle ${j} b)
        report(engine-folder-cycle "  ${a} -> ${b}: ${edge_${a}/${b}}")
    endforeach()
endfunction()

# no-bench-in-product: benchmarks and synthetic fixtures (random models, fake libraries) must never
# reach what users run; only the bench itself, the CLI's bench commands and the tests use them.
function(rule_no_bench_in_product records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(inc MATCHES "^engine/bench/" AND NOT file MATCHES "^(engine/bench|app/cli|tests)/")
            report(no-bench-in-product "${where}: <${inc}> (only engine/bench/, app/cli/ and tests/ may include engine/bench/)")
        endif()
    endforeach()
endfunction()

# public-headers-plain: engine/api/ and engine/service/ headers are what the studio, the CLI and the
# server compile against; they must build with a plain C++ compiler and the standard library alone,
# without torch, OpenCV, Qt or any internal engine header (which would drag those in later).
function(rule_public_headers_plain records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(NOT file MATCHES "^engine/(api|service)/.*\\.(h|hh|hpp|hxx)$")
            continue()
        endif()
        if(inc IN_LIST STD_HEADERS OR inc MATCHES "^engine/(api|service)/")
            continue()
        endif()
        if(inc MATCHES "${TORCH_RE}")
            set(why "torch")
        elseif(inc MATCHES "${CV_RE}")
            set(why "OpenCV")
        elseif(inc MATCHES "${QT_RE}")
            set(why "Qt")
        elseif(inc MATCHES "^engine/")
            set(why "an internal engine header")
        else()
            set(why "not a standard header")
        endif()
        report(public-headers-plain "${where}: <${inc}> (${why}: public headers include only std, engine/api/ and engine/service/ headers)")
    endforeach()
endfunction()

# torch-cv-in-engine-only: libtorch and OpenCV are PRIVATE to the engine; everything above it sees
# api::Image and plain values, so the front ends build and link without them.
function(rule_torch_cv_in_engine_only records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(NOT file MATCHES "^engine/" AND (inc MATCHES "${TORCH_RE}" OR inc MATCHES "${CV_RE}"))
            report(torch-cv-in-engine-only "${where}: <${inc}> (torch and OpenCV stay inside engine/)")
        endif()
    endforeach()
endfunction()

# widgets-in-ui-only: app/ is the Qt Core/Gui adapter shared with non-widget front ends; widgets live
# in ui/ and the GUI executable only.
function(rule_widgets_in_ui_only records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        # engine/, app/cli/, app/server/ and app/remote/ have no Qt at all: no-qt-in-engine and
        # no-qt-in-cli report them.
        if(inc MATCHES "${WIDGETS_RE}" AND NOT file MATCHES "^(ui|app/gui|engine|app/cli|app/server|app/fleet|app/remote)/")
            report(widgets-in-ui-only "${where}: <${inc}> (QtWidgets only in ui/ and app/gui/)")
        endif()
    endforeach()
endfunction()

# api-no-torch-cv: engine/api/ is part of easel_support, the torch-free half that the catalog links
# without libtorch; its sources must not use torch or OpenCV either (its headers: public-headers-plain).
function(rule_api_no_torch_cv records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(file MATCHES "^engine/api/" AND NOT file MATCHES "\\.(h|hh|hpp|hxx)$"
           AND (inc MATCHES "${TORCH_RE}" OR inc MATCHES "${CV_RE}"))
            report(api-no-torch-cv "${where}: <${inc}> (engine/api/ is plain C++)")
        endif()
    endforeach()
endfunction()

# catalog-no-torch-cv: easel_catalog (SQLite) links without libtorch and OpenCV.
function(rule_catalog_no_torch_cv records)
    foreach(r ${records})
        split_record("${r}" file where inc)
        if(file MATCHES "^engine/catalog/" AND (inc MATCHES "${TORCH_RE}" OR inc MATCHES "${CV_RE}"))
            report(catalog-no-torch-cv "${where}: <${inc}> (easel_catalog has no torch/OpenCV)")
        endif()
    endforeach()
endfunction()

# --- run ----------------------------------------------------------------------------------------

collect_includes(records)
rule_ui_public_engine("${records}")
rule_no_qt_in_cli("${records}")
rule_no_qt_in_engine("${records}")
rule_engine_folder_cycle("${records}")
rule_no_bench_in_product("${records}")
rule_public_headers_plain("${records}")
rule_torch_cv_in_engine_only("${records}")
rule_widgets_in_ui_only("${records}")
rule_api_no_torch_cv("${records}")
rule_catalog_no_torch_cv("${records}")

get_property(violations GLOBAL PROPERTY LAYERING_VIOLATIONS)
get_property(broken GLOBAL PROPERTY LAYERING_RULES_BROKEN)
list(LENGTH records n_includes)
if(violations)
    list(REMOVE_DUPLICATES broken)
    string(REPLACE ";" " " broken_text "${broken}")
    # message(NOTICE) prints as is; FATAL_ERROR text would be re-wrapped.
    message(NOTICE "layering: rules broken: ${broken_text}")
    foreach(v ${violations})
        message(NOTICE "  ${v}")
    endforeach()
    message(FATAL_ERROR "layering: failed (${n_includes} includes read under ${EASEL_ROOT})")
endif()
message(STATUS "layering: ok (${n_includes} includes read under ${EASEL_ROOT})")
