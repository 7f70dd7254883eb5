"""Chat templates of real model families, as their GGUF files carry them, with the special
tokens each needs in a vocabulary. Tests and benchmarks render them; none is downloaded."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RealTemplate:
    family: str
    source: str
    special_tokens: tuple[str, ...]  # besides BOS and EOS
    system_role: bool  # whether it renders a system prompt itself


GEMMA2 = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not "
    "supported') }}{% endif %}{% for message in messages %}{% if (message['role'] == 'user') != "
    "(loop.index0 % 2 == 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/"
    "user/assistant/...') }}{% endif %}{% if (message['role'] == 'assistant') %}{% set role = "
    "'model' %}{% else %}{% set role = message['role'] %}{% endif %}{{ '<start_of_turn>' + role + "
    "'\n' + message['content'] | trim + '<end_of_turn>\n' }}{% endfor %}{% if add_generation_prompt "
    "%}{{'<start_of_turn>model\n'}}{% endif %}"
)

LLAMA3 = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
    "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + "
    "'<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
    "{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant"
    "<|end_header_id|>\n\n' }}{% endif %}"
)

LLAMA31 = """{{- bos_token }}
{%- if custom_tools is defined %}
    {%- set tools = custom_tools %}
{%- endif %}
{%- if not tools_in_user_message is defined %}
    {%- set tools_in_user_message = true %}
{%- endif %}
{%- if not date_string is defined %}
    {%- set date_string = "26 Jul 2024" %}
{%- endif %}
{%- if not tools is defined %}
    {%- set tools = none %}
{%- endif %}

{#- This block extracts the system message, so we can slot it into the right place. #}
{%- if messages[0]['role'] == 'system' %}
    {%- set system_message = messages[0]['content']|trim %}
    {%- set messages = messages[1:] %}
{%- else %}
    {%- set system_message = "" %}
{%- endif %}

{#- System message + builtin tools #}
{{- "<|start_header_id|>system<|end_header_id|>\\n\\n" }}
{%- if builtin_tools is defined or tools is not none %}
    {{- "Environment: ipython\\n" }}
{%- endif %}
{%- if builtin_tools is defined %}
    {{- "Tools: " + builtin_tools | reject('equalto', 'code_interpreter') | join(", ") + "\\n\\n"}}
{%- endif %}
{{- "Cutting Knowledge Date: December 2023\\n" }}
{{- "Today Date: " + date_string + "\\n\\n" }}
{%- if tools is not none and not tools_in_user_message %}
    {{- "You have access to the following functions. To call a function, please respond with JSON for a function call." }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
{%- endif %}
{{- system_message }}
{{- "<|eot_id|>" }}

{#- Custom tools are passed in a user message with some extra guidance #}
{%- if tools_in_user_message and not tools is none %}
    {#- Extract the first user message so we can plug it in here #}
    {%- if messages | length != 0 %}
        {%- set first_user_message = messages[0]['content']|trim %}
        {%- set messages = messages[1:] %}
    {%- else %}
        {{- raise_exception("Cannot put tools in the first user message when there's no first user message!") }}
{%- endif %}
    {{- '<|start_header_id|>user<|end_header_id|>\\n\\n' -}}
    {{- "Given the following functions, please respond with a JSON for a function call " }}
    {{- "with its proper arguments that best answers the given prompt.\\n\\n" }}
    {{- 'Respond in the format {"name": function name, "parameters": dictionary of argument name and its value}.' }}
    {{- "Do not use variables.\\n\\n" }}
    {%- for t in tools %}
        {{- t | tojson(indent=4) }}
        {{- "\\n\\n" }}
    {%- endfor %}
    {{- first_user_message + "<|eot_id|>"}}
{%- endif %}

{%- for message in messages %}
    {%- if not (message.role == 'ipython' or message.role == 'tool' or 'tool_calls' in message) %}
        {{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' }}
    {%- elif 'tool_calls' in message %}
        {%- if not message.tool_calls|length == 1 %}
            {{- raise_exception("This model only supports single tool-calls at once!") }}
        {%- endif %}
        {%- set tool_call = message.tool_calls[0].function %}
        {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' -}}
        {{- '{"name": "' + tool_call.name + '", ' }}
        {{- '"parameters": ' }}
        {{- tool_call.arguments | tojson }}
        {{- "}" }}
        {{- "<|eot_id|>" }}
    {%- elif message.role == "tool" or message.role == "ipython" %}
        {{- "<|start_header_id|>ipython<|end_header_id|>\\n\\n" }}
        {%- if message.content is mapping or message.content is iterable %}
            {{- message.content | tojson }}
        {%- else %}
            {{- message.content }}
        {%- endif %}
        {{- "<|eot_id|>" }}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}
{%- endif %}
"""

MISTRAL = (
    "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') != (loop.index0 % 2 "
    "== 0) %}{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') "
    "}}{% endif %}{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
    "{% elif message['role'] == 'assistant' %}{{ message['content'] + eos_token}}{% else %}"
    "{{ raise_exception('Only user and assistant roles are supported!') }}{% endif %}{% endfor %}"
)

PHI3 = (
    "{% for message in messages %}{% if message['role'] == 'system' %}{{'<|system|>\n' + "
    "message['content'] + '<|end|>\n'}}{% elif message['role'] == 'user' %}{{'<|user|>\n' + "
    "message['content'] + '<|end|>\n'}}{% elif message['role'] == 'assistant' %}{{'<|assistant|>\n' "
    "+ message['content'] + '<|end|>\n'}}{% endif %}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|assistant|>\n' }}{% else %}{{ eos_token }}{% endif %}"
)

# The first Phi-3 mini template: it leaves a system prompt out without a word.
PHI3_FIRST = (
    "{{ bos_token }}{% for message in messages %}{% if (message['role'] == 'user') %}{{'<|user|>' + "
    "'\n' + message['content'] + '<|end|>' + '\n' + '<|assistant|>' + '\n'}}{% elif "
    "(message['role'] == 'assistant') %}{{message['content'] + '<|end|>' + '\n'}}{% endif %}"
    "{% endfor %}"
)

QWEN25 = """{%- if tools %}
    {{- '<|im_start|>system\\n' }}
    {%- if messages[0]['role'] == 'system' %}
        {{- messages[0]['content'] }}
    {%- else %}
        {{- 'You are Qwen, created by Alibaba Cloud. You are a helpful assistant.' }}
    {%- endif %}
    {{- "\\n\\n# Tools\\n\\nYou may call one or more functions to assist with the user query.\\n\\nYou are provided with function signatures within <tools></tools> XML tags:\\n<tools>" }}
    {%- for tool in tools %}
        {{- "\\n" }}
        {{- tool | tojson }}
    {%- endfor %}
    {{- "\\n</tools>\\n\\nFor each function call, return a json object with function name and arguments within <tool_call></tool_call> XML tags:\\n<tool_call>\\n{\\"name\\": <function-name>, \\"arguments\\": <args-json-object>}\\n</tool_call><|im_end|>\\n" }}
{%- else %}
    {%- if messages[0]['role'] == 'system' %}
        {{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}
    {%- else %}
        {{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\\n' }}
    {%- endif %}
{%- endif %}
{%- for message in messages %}
    {%- if (message.role == "user") or (message.role == "system" and not loop.first) or (message.role == "assistant" and not message.tool_calls) %}
        {{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>' + '\\n' }}
    {%- elif message.role == "assistant" %}
        {{- '<|im_start|>' + message.role }}
        {%- if message.content %}
            {{- '\\n' + message.content }}
        {%- endif %}
        {%- for tool_call in message.tool_calls %}
            {%- if tool_call.function is defined %}
                {%- set tool_call = tool_call.function %}
            {%- endif %}
            {{- '\\n<tool_call>\\n{"name": "' }}
            {{- tool_call.name }}
            {{- '", "arguments": ' }}
            {{- tool_call.arguments | tojson }}
            {{- '}\\n</tool_call>' }}
        {%- endfor %}
        {{- '<|im_end|>\\n' }}
    {%- elif message.role == "tool" %}
        {%- if (loop.index0 == 0) or (messages[loop.index0 - 1].role != "tool") %}
            {{- '<|im_start|>user' }}
        {%- endif %}
        {{- '\\n<tool_response>\\n' }}
        {{- message.content }}
        {{- '\\n</tool_response>' }}
        {%- if loop.last or (messages[loop.index0 + 1].role != "tool") %}
            {{- '<|im_end|>\\n' }}
        {%- endif %}
    {%- endif %}
{%- endfor %}
{%- if add_generation_prompt %}
    {{- '<|im_start|>assistant\\n' }}
{%- endif %}
"""

REAL_TEMPLATES = {
    "gemma2": RealTemplate("Gemma 2", GEMMA2, ("<start_of_turn>", "<end_of_turn>"), system_role=False),
    "llama3": RealTemplate("Llama 3", LLAMA3, ("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"),
                           system_role=True),
    "llama3.1": RealTemplate("Llama 3.1", LLAMA31,
                             ("<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"), system_role=True),
    "mistral": RealTemplate("Mistral", MISTRAL, ("[INST]", "[/INST]"), system_role=False),
    "phi3": RealTemplate("Phi-3", PHI3, ("<|user|>", "<|assistant|>", "<|end|>", "<|system|>"),
                         system_role=True),
    "phi3-first": RealTemplate("Phi-3 (first)", PHI3_FIRST, ("<|user|>", "<|assistant|>", "<|end|>"),
                               system_role=False),
    "qwen2.5": RealTemplate("Qwen 2.5", QWEN25, ("<|im_start|>", "<|im_end|>"), system_role=True),
}


# -- templates written to do harm, or broken ---------------------------------------------------
# Each must come back within the budget with a ChatTemplateError, the model still chatting.
ESCAPES = {
    "str class mro": "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "cycler globals": "{{ cycler.__init__.__globals__.os.system('echo escaped') }}",
    "helper globals": "{{ raise_exception.__globals__['__builtins__'] }}",
    "namespace init": "{{ namespace.__init__.__globals__ }}",
    "format attribute": "{{ '{0.__class__.__base__}'.format('') }}",
    "message class": "{% for m in messages %}{{ m.__class__.__subclasses__() }}{% endfor %}",
}

TIME_BOMBS = {
    "nested loops": "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}",
    "three nested loops of 9,999": (
        "{% for i in range(9999) %}{% for j in range(9999) %}{% for k in range(9999) %}{% endfor %}"
        "{% endfor %}{% endfor %}"),
    "nested loops over a kept range": (
        "{% set r = range(99999) %}{% for i in r %}{% for j in r %}{% endfor %}{% endfor %}"),
    "a long string looped over twice": (
        "{% set s = 'ab' * 50000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}"),
    "a sum of lists": "{{ (range(99999)|batch(1)|sum(start=[]))|length }}",
}

DEPTH_BOMBS = {
    "a macro calling itself": "{% macro m(n) %}{{ m(n + 1) }}{% endmacro %}{{ m(0) }}",
    "a block rendering itself": "{% block a %}{{ self.a() }}{% endblock %}",
    "a recursive loop": "{% for m in [[]] recursive %}{{ loop([m]) }}{% endfor %}",
}

SIZE_BOMBS = {
    "a string times 10**10": "{{ 'x' * 10**10 }}",
    "a list times 10**10": "{{ [1] * 10**10 }}",
    "a number to the power 10**7": "{{ 10 ** 10000000 }}",
    "a huge range": "{{ range(10**10)|length }}",
    "padding": "{{ ''.ljust(10**10) }}",
    "a centred filter": "{{ 'x'|center(10**10) }}",
    "a printf width": "{{ '%999999999d' % 1 }}",
    "a format width": "{{ '{:999999999}'.format(1) }}",
    "a string doubled by ~": (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}"),
    "a string doubled by +": (
        "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s + ns.s %}{% endfor %}"),
    "a list nested in itself": (
        "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = [ns.l, ns.l] %}{% endfor %}"
        "{{ ns.l }}"),
    "a join of a huge list": "{{ (['x' * 10000] * 100000)|join }}",
    "a join of many copies": "{% set s = 'x' * 100000 %}{{ [s, s, s, s, s, s, s, s, s, s, s, s]|join }}",
    "a concatenation of many copies": "{% set s = 'x' * 100000 %}{{ " + " ~ ".join(["s"] * 1000) + " }}",
    "a list of copies printed": "{% set s = 'x' * 100000 %}{{ [" + ", ".join(["s"] * 1000) + "] }}",
    "a replace of everything": "{% set s = 'x' * 100000 %}{{ s.replace('', s) }}",
    "an indent by a string": "{% set s = 'x' * 100000 %}{{ ('\n' * 100000)|indent(s) }}",
    "a dict of copies": "{% set s = 'x' * 100000 %}{{ dict.fromkeys(range(20000), s) }}",
    "a block of copies": (
        "{% set s = 'x' * 100000 %}{% set b %}{% for i in range(20000) %}{{ s }}{% endfor %}{% endset %}"
        "{{ b }}"),
    "an output of copies": "{% set s = 'x' * 100000 %}{% for i in range(99999) %}{{ s }}{% endfor %}",
    "many padded strings": "{{ range(99999)|map('string')|map('center', 100000)|list|length }}",
    "a template too long": "{# " + "x" * 300_000 + " #}",
}

BROKEN = {
    "a syntax error": "{% for message in messages %}{{ message['content'] }}",
    "an unknown filter": "{% for message in messages %}{{ message['content']|shout }}{% endfor %}",
    "an unknown test": "{% if messages is shiny %}{% endif %}{{ messages[0]['content'] }}",
    "a deep nesting": "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
}

RAISES = "{{ raise_exception('This template refuses every conversation') }}"
PYTHON_ERROR = "{% for message in messages %}{{ message['content'] + 1 }}{% endfor %}"
RENDERS_NOTHING = "{% for message in messages %}{% if false %}{{ message['content'] }}{% endif %}{% endfor %}"
IGNORES_MESSAGES = "<|im_start|>user\nHello<|im_end|>\n<|im_start|>assistant\n"
