"""Checks a Python program's uses of the generated Python SDK against the SDK's own source, without running either.

Why: this repository's machines have no `pulumi` Python package, so a Python program on the SDK cannot run here.
This reads both with `ast` and reports every SDK name the program uses that the SDK does not have: a class or
function called through the SDK module, a keyword argument it does not take, or an output read off its result
that its class does not define. tests/sdk.test.ts runs it on examples/python.

Usage: python3 pythonSdkNames.py <sdk package dir> <program file> <module alias>
Prints JSON: {"used": [...what was checked...], "problems": [...]}.
"""
import ast
import json
import os
import re
import sys


def sdk_names(package_dir):
    """Classes (keyword arguments of __init__, properties) and functions (parameters, result class) of the SDK."""
    classes, functions = {}, {}
    for name in sorted(os.listdir(package_dir)):
        if not name.endswith(".py"):
            continue
        with open(os.path.join(package_dir, name), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                entry = classes.setdefault(node.name, {"kwargs": set(), "props": set(), "bases": [ast.unparse(b) for b in node.bases]})
                for item in node.body:
                    if not isinstance(item, ast.FunctionDef):
                        continue
                    decorators = [ast.unparse(d) for d in item.decorator_list]
                    if item.name == "__init__":
                        # Each overload's parameters, positional-or-keyword and keyword-only alike.
                        entry["kwargs"].update(a.arg for a in item.args.args[1:] + item.args.kwonlyargs)
                    elif any(d == "property" or d.startswith("pulumi.getter") for d in decorators):
                        entry["props"].add(item.name)
            elif isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                result = re.search(r"(\w+Result)\b", ast.unparse(node.returns) if node.returns else "")
                params = [a.arg for a in node.args.args + node.args.kwonlyargs]
                functions[node.name] = {"params": set(params), "result": result.group(1) if result else None}
    # A result class's properties include those of its bases (AwaitableXResult extends XResult).
    for entry in classes.values():
        for base in entry["bases"]:
            if base in classes:
                entry["props"] |= classes[base]["props"]
    return classes, functions


def check(package_dir, program, alias):
    classes, functions = sdk_names(package_dir)
    with open(program, encoding="utf-8") as f:
        tree = ast.parse(f.read())
    used, problems = [], []
    produced = {}  # variable name -> the SDK class whose properties it has
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call)):
            continue
        func = node.value.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == alias):
            continue
        name = func.attr
        kwargs = [k.arg for k in node.value.keywords if k.arg]
        if name in classes:
            accepted, result = classes[name]["kwargs"], name
        elif name in functions:
            accepted, result = functions[name]["params"], functions[name]["result"]
        else:
            problems.append(f"{alias}.{name}: the SDK has no such class or function")
            continue
        used.append(f"{alias}.{name}")
        for k in kwargs:
            used.append(f"{alias}.{name}({k}=)")
            if k not in accepted:
                problems.append(f"{alias}.{name}: no argument {k!r} (it takes {sorted(accepted)})")
        for target in node.targets:
            if isinstance(target, ast.Name) and result:
                produced[target.id] = result
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in produced:
            cls = produced[node.value.id]
            used.append(f"{cls}.{node.attr}")
            if node.attr not in classes.get(cls, {}).get("props", set()) and node.attr != "apply":
                problems.append(f"{node.value.id}.{node.attr}: {cls} has no output {node.attr!r}")
    return {"used": used, "problems": problems}


if __name__ == "__main__":
    print(json.dumps(check(sys.argv[1], sys.argv[2], sys.argv[3])))
