"""Command-line options for the training scripts, nanoGPT-style: each script keeps its
configuration as plain variables at its top, and every one of them can be set as --name=value
(or --name value, the form SageMaker passes hyperparameters in). Unknown names and values of
the wrong type are refused with a message that says what was expected."""
from __future__ import annotations


def configure(defaults: dict, argv: list[str], presets: dict[str, dict] | None = None) -> dict:
    """Returns a copy of `defaults` with --preset applied first, then every --name=value."""
    presets = presets or {}
    config = dict(defaults)
    pairs: list[tuple[str, str]] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--"):
            raise SystemExit(f"error: unexpected argument {arg!r}; options look like --name=value")
        name, separator, value = arg[2:].partition("=")
        name = name.replace("-", "_")
        if not separator:
            flag = isinstance(config.get(name), bool) and (i + 1 >= len(argv) or argv[i + 1].startswith("--"))
            if flag:
                value = "true"
            elif i + 1 < len(argv):
                value = argv[i + 1]
                i += 1
            else:
                raise SystemExit(f"error: --{name} needs a value")
        pairs.append((name, value))
        i += 1
    for name, value in pairs:
        if name == "preset" and "preset" in config:
            if value not in ("default", *presets):
                raise SystemExit(f"error: --preset must be one of default, {', '.join(presets)}")
            config.update(presets.get(value, {}), preset=value)
    for name, value in pairs:
        if name == "preset" and "preset" in config:
            continue
        if name not in config:
            raise SystemExit(f"error: unknown option --{name}; known: {', '.join(sorted(config))}")
        config[name] = _convert(name, value, config[name])
    return config


def _convert(name: str, value: str, default):
    if isinstance(default, bool):
        if value.lower() not in ("true", "false", "1", "0"):
            raise SystemExit(f"error: --{name} takes true or false, not {value!r}")
        return value.lower() in ("true", "1")
    try:
        return type(default)(value)
    except ValueError:
        kind = "an integer" if isinstance(default, int) else "a number" if isinstance(default, float) else "text"
        raise SystemExit(f"error: --{name} must be {kind}, not {value!r}") from None


def config_of(namespace: dict, exclude: tuple[str, ...] = ()) -> dict:
    """The plain settings among a module's globals: the configuration block at its top."""
    return {k: v for k, v in namespace.items()
            if not k.startswith("_") and k.isidentifier() and k.islower() and isinstance(v, (int, float, bool, str)) and k not in exclude}
