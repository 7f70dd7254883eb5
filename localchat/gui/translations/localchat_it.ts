<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="it_IT">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../about.py" line="50"/>
        <source>About {app}</source>
        <translation>Informazioni su {app}</translation>
    </message>
    <message>
        <location filename="../about.py" line="57"/>
        <source>Chat with language models that run entirely on your own computer.</source>
        <translation>Conversa con modelli linguistici che girano interamente sul tuo computer.</translation>
    </message>
    <message>
        <location filename="../about.py" line="66"/>
        <source>{variant} build ({note})</source>
        <translation>versione {variant} ({note})</translation>
    </message>
    <message>
        <location filename="../about.py" line="67"/>
        <source>Build</source>
        <translation>Versione</translation>
    </message>
    <message>
        <location filename="../about.py" line="69"/>
        <source>GPU offload</source>
        <translation>Scarico su GPU</translation>
    </message>
    <message>
        <location filename="../about.py" line="69"/>
        <source>available</source>
        <translation>disponibile</translation>
    </message>
    <message>
        <location filename="../about.py" line="70"/>
        <source>not in this build</source>
        <translation>non in questa versione</translation>
    </message>
    <message>
        <location filename="../about.py" line="72"/>
        <source>{version} on {system}</source>
        <translation>{version} su {system}</translation>
    </message>
    <message>
        <location filename="../about.py" line="80"/>
        <source>llama.cpp system info (CPU features and backends it was built with):</source>
        <translation>Informazioni di sistema di llama.cpp (funzioni della CPU e backend con cui è stato compilato):</translation>
    </message>
    <message>
        <location filename="../about.py" line="87"/>
        <source>Copy details</source>
        <translation>Copia i dettagli</translation>
    </message>
    <message>
        <location filename="../about.py" line="110"/>
        <source>Copied</source>
        <translation>Copiato</translation>
    </message>
</context>
<context>
    <name>AlternativesPanel</name>
    <message>
        <location filename="../chat/token_view.py" line="249"/>
        <source>Alternatives of the token</source>
        <translation>Alternative del token</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="254"/>
        <source>Token {n}: {text} · probability {p}</source>
        <translation>Token {n}: {text} · probabilità {p}</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="257"/>
        <source>the server gave no probability after its sampling settings and no entropy</source>
        <translation>il server non ha dato la probabilità dopo le sue impostazioni di campionamento né l&apos;entropia</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="260"/>
        <source>chosen by you</source>
        <translation>scelto da te</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="262"/>
        <source>{p} after the sampling settings</source>
        <translation>{p} dopo le impostazioni di campionamento</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="264"/>
        <source>entropy {nats} nats</source>
        <translation>entropia {nats} nat</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="275"/>
        <source>The token the reply has here</source>
        <translation>Il token che la risposta ha qui</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="277"/>
        <source>Write another reply that keeps the text before this token and goes on from {text}</source>
        <translation>Scrivi un&apos;altra risposta che tiene il testo prima di questo token e prosegue da {text}</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="281"/>
        <source>{text}, {p}</source>
        <translation>{text}, {p}</translation>
    </message>
</context>
<context>
    <name>ApiServerControl</name>
    <message>
        <location filename="../api_server.py" line="93"/>
        <source>Cancel API requests</source>
        <translation>Annulla le richieste API</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="94"/>
        <source>Cancel every API request running or waiting; the window&apos;s own reply goes on</source>
        <translation>Annulla tutte le richieste API in corso o in attesa; la risposta della finestra continua</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="98"/>
        <source>Request log</source>
        <translation>Registro richieste</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="99"/>
        <source>Every API request of this session: time, endpoint, status, tokens, duration</source>
        <translation>Tutte le richieste API di questa sessione: ora, endpoint, stato, token, durata</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="154"/>
        <source>The API server could not start: {error}</source>
        <translation>Impossibile avviare il server API: {error}</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="155"/>
        <source>The log file has the details.</source>
        <translation>Il file di log contiene i dettagli.</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="229"/>
        <source>API: {url}</source>
        <translation>API: {url}</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="231"/>
        <source>{count} API requests waiting</source>
        <translation>{count} richieste API in attesa</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="232"/>
        <source>{count} API request waiting</source>
        <translation>{count} richiesta API in attesa</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="234"/>
        <source>API request running · {count} waiting</source>
        <translation>Richiesta API in corso · {count} in attesa</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="236"/>
        <source>Serving the OpenAI-compatible API at {url}</source>
        <translation>API compatibile con OpenAI disponibile su {url}</translation>
    </message>
</context>
<context>
    <name>AskAnotherModel</name>
    <message>
        <location filename="../chat/compare.py" line="122"/>
        <source>Wait for the reply being written to end first.</source>
        <translation>Attendi prima che finisca la risposta in corso.</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="125"/>
        <source>Asking another model needs models on this computer; pick one in the Model list first.</source>
        <translation>Chiedere a un altro modello richiede modelli su questo computer; scegline prima uno nell&apos;elenco dei modelli.</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="130"/>
        <source>This message has no reply to compare with yet.</source>
        <translation>Questo messaggio non ha ancora una risposta da confrontare.</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="139"/>
        <source>Assistant</source>
        <translation>Assistente</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="141"/>
        <source>Loading the model…</source>
        <translation>Caricamento del modello…</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="160"/>
        <location filename="../chat/compare.py" line="174"/>
        <source>Writing…</source>
        <translation>Scrittura…</translation>
    </message>
</context>
<context>
    <name>BackendsPage</name>
    <message>
        <location filename="../backends.py" line="30"/>
        <source>Streaming</source>
        <translation>Streaming</translation>
    </message>
    <message>
        <location filename="../backends.py" line="31"/>
        <source>Token probabilities</source>
        <translation>Probabilità dei token</translation>
    </message>
    <message>
        <location filename="../backends.py" line="32"/>
        <source>Structured output (JSON schema)</source>
        <translation>Output strutturato (schema JSON)</translation>
    </message>
    <message>
        <location filename="../backends.py" line="33"/>
        <source>Structured output (GBNF grammar)</source>
        <translation>Output strutturato (grammatica GBNF)</translation>
    </message>
    <message>
        <location filename="../backends.py" line="34"/>
        <source>Documents (embeddings)</source>
        <translation>Documenti (embedding)</translation>
    </message>
    <message>
        <location filename="../backends.py" line="41"/>
        <source>none</source>
        <translation>nessuno</translation>
    </message>
    <message>
        <location filename="../backends.py" line="42"/>
        <source>Models: {models}</source>
        <translation>Modelli: {models}</translation>
    </message>
    <message>
        <location filename="../backends.py" line="47"/>
        <source>not offered</source>
        <translation>non disponibile</translation>
    </message>
    <message>
        <location filename="../backends.py" line="63"/>
        <source>Remote backends</source>
        <translation>Backend remoti</translation>
    </message>
    <message>
        <location filename="../backends.py" line="65"/>
        <source>e.g. gpu-box</source>
        <translation>es. gpu-box</translation>
    </message>
    <message>
        <location filename="../backends.py" line="70"/>
        <source>None (the server needs no key)</source>
        <translation>Nessuna (il server non richiede una chiave)</translation>
    </message>
    <message>
        <location filename="../backends.py" line="72"/>
        <source>All models</source>
        <translation>Tutti i modelli</translation>
    </message>
    <message>
        <location filename="../backends.py" line="73"/>
        <source>Add</source>
        <translation>Aggiungi</translation>
    </message>
    <message>
        <location filename="../backends.py" line="74"/>
        <source>Test connection</source>
        <translation>Verifica connessione</translation>
    </message>
    <message>
        <location filename="../backends.py" line="75"/>
        <source>Remove</source>
        <translation>Rimuovi</translation>
    </message>
    <message>
        <location filename="../backends.py" line="79"/>
        <source>What the backend can do</source>
        <translation>Cosa può fare il backend</translation>
    </message>
    <message>
        <location filename="../backends.py" line="81"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../backends.py" line="82"/>
        <source>Address</source>
        <translation>Indirizzo</translation>
    </message>
    <message>
        <location filename="../backends.py" line="83"/>
        <source>API key</source>
        <translation>Chiave API</translation>
    </message>
    <message>
        <location filename="../backends.py" line="84"/>
        <source>Only models containing</source>
        <translation>Solo i modelli che contengono</translation>
    </message>
    <message>
        <location filename="../backends.py" line="90"/>
        <source>Servers that speak OpenAI&apos;s API (Ollama, vLLM, llama-server, LM Studio, another localchat), beside this computer&apos;s models.</source>
        <translation>Server che parlano l’API di OpenAI (Ollama, vLLM, llama-server, LM Studio, un altro localchat), accanto ai modelli di questo computer.</translation>
    </message>
    <message>
        <location filename="../backends.py" line="106"/>
        <source> · key kept</source>
        <translation> · chiave salvata</translation>
    </message>
    <message>
        <location filename="../backends.py" line="148"/>
        <location filename="../backends.py" line="175"/>
        <source>Asking {0}…</source>
        <translation>Richiesta a {0}…</translation>
    </message>
    <message>
        <location filename="../backends.py" line="161"/>
        <source>Added {0}.</source>
        <translation>{0} aggiunto.</translation>
    </message>
    <message>
        <location filename="../backends.py" line="187"/>
        <source>Removed {0}.</source>
        <translation>{0} rimosso.</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../banner.py" line="23"/>
        <location filename="../banner.py" line="24"/>
        <source>Dismiss</source>
        <translation>Chiudi</translation>
    </message>
</context>
<context>
    <name>CatalogRefresher</name>
    <message>
        <location filename="../catalog_status.py" line="157"/>
        <source>The catalog check failed unexpectedly: {error}.</source>
        <translation>Il controllo del catalogo non è riuscito per un errore imprevisto: {error}.</translation>
    </message>
</context>
<context>
    <name>CatalogRow</name>
    <message>
        <location filename="../model_cards.py" line="54"/>
        <source>{params} parameters</source>
        <translation>{params} parametri</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="56"/>
        <source>{size} download</source>
        <translation>{size} da scaricare</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="58"/>
        <source>needs {size} at {context} tokens</source>
        <translation>richiede {size} con {context} token</translation>
    </message>
</context>
<context>
    <name>CatalogStatus</name>
    <message>
        <location filename="../catalog_status.py" line="69"/>
        <source>Check for new models</source>
        <translation>Cerca nuovi modelli</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="94"/>
        <source>Catalog of {date}, downloaded</source>
        <translation>Catalogo del {date}, scaricato</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="96"/>
        <source>Catalog of {date}, shipped with localchat</source>
        <translation>Catalogo del {date}, incluso in localchat</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="100"/>
        <source>{count} new model</source>
        <translation>{count} nuovo modello</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="100"/>
        <source>{count} new models</source>
        <translation>{count} nuovi modelli</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="104"/>
        <source>The last catalog download was refused: {reason}</source>
        <translation>L&apos;ultimo download del catalogo è stato rifiutato: {reason}</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="114"/>
        <source>Could not check for a newer catalog: {reason}</source>
        <translation>Impossibile cercare un catalogo più recente: {reason}</translation>
    </message>
</context>
<context>
    <name>CatalogTab</name>
    <message>
        <location filename="../model_cards.py" line="103"/>
        <source>All models</source>
        <translation>Tutti i modelli</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="104"/>
        <source>Fits this computer</source>
        <translation>Adatti a questo computer</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="105"/>
        <source>Chat</source>
        <translation>Chat</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="106"/>
        <source>Embedding</source>
        <translation>Embedding</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="108"/>
        <source>Quality</source>
        <translation>Qualità</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="109"/>
        <source>Speed</source>
        <translation>Velocità</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="111"/>
        <source>Size</source>
        <translation>Dimensione</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="172"/>
        <source>Loading the catalog…</source>
        <translation>Caricamento del catalogo…</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="184"/>
        <source>Show</source>
        <translation>Mostra</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="186"/>
        <source>Sort by</source>
        <translation>Ordina per</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="203"/>
        <source>Nothing in the catalog fits this computer well; see the Catalog tab.</source>
        <translation>Nessun modello del catalogo è adatto a questo computer; vedi la scheda Catalogo.</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="205"/>
        <source>The models localchat suggests for this computer.</source>
        <translation>I modelli che localchat consiglia per questo computer.</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="206"/>
        <source>Every model in localchat&apos;s catalog.</source>
        <translation>Tutti i modelli del catalogo di localchat.</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <location filename="../chat/controller.py" line="52"/>
        <source>interrupted</source>
        <translation>interrotta</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="142"/>
        <source>The model is still loading.
Your message can be sent as soon as it is ready.</source>
        <translation>Il modello si sta ancora caricando.
Il tuo messaggio potrà essere inviato appena sarà pronto.</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="144"/>
        <source>No model is loaded.
Pick one in the Model list at the top, or download one with Models ▸ Model Manager… (Ctrl+M).</source>
        <translation>Nessun modello caricato.
Scegline uno nell’elenco dei modelli in alto, o scaricane uno da Modelli ▸ Gestione modelli… (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="172"/>
        <location filename="../chat/controller.py" line="194"/>
        <source>Stop the current reply before opening another conversation.</source>
        <translation>Ferma la risposta in corso prima di aprire un’altra conversazione.</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="251"/>
        <source>Branching from a token needs the model on this computer.</source>
        <translation>Per ramificare da un token serve il modello su questo computer.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../chat/view.py" line="26"/>
        <source>Explain how a rainbow forms, in three sentences</source>
        <translation>Spiega in tre frasi come si forma un arcobaleno</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="27"/>
        <source>Write a Python function that tells whether a word is a palindrome</source>
        <translation>Scrivi una funzione Python che dica se una parola è palindroma</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="28"/>
        <source>Suggest five names for a café in an old lighthouse</source>
        <translation>Proponi cinque nomi per un caffè in un vecchio faro</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="113"/>
        <source>Conversation</source>
        <translation>Conversazione</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="130"/>
        <source>Show earlier messages</source>
        <translation>Mostra i messaggi precedenti</translation>
    </message>
</context>
<context>
    <name>Column</name>
    <message>
        <location filename="../chat/compare.py" line="53"/>
        <source>The reply of {model}</source>
        <translation>La risposta di {model}</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../chat/compare.py" line="64"/>
        <source>Two models, one question</source>
        <translation>Due modelli, una domanda</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="68"/>
        <source>You asked: {question}</source>
        <translation>Hai chiesto: {question}</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../chat/composer.py" line="59"/>
        <source>Send a message</source>
        <translation>Invia un messaggio</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="60"/>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>Invio invia, Maiusc+Invio va a capo</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="61"/>
        <source>Message</source>
        <translation>Messaggio</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="82"/>
        <source>How much of the model&apos;s context this conversation fills; past it, the oldest turns are left out</source>
        <translation>Quanto del contesto del modello occupa questa conversazione; oltre, i turni più vecchi vengono tralasciati</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="120"/>
        <source>Stop</source>
        <translation>Ferma</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="120"/>
        <source>Stop the reply (Esc)</source>
        <translation>Ferma la risposta (Esc)</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="122"/>
        <source>Send</source>
        <translation>Invia</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="122"/>
        <source>Send (Enter)</source>
        <translation>Invia (Invio)</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="148"/>
        <source>{used} / {size} tokens</source>
        <translation>{used} / {size} token</translation>
    </message>
</context>
<context>
    <name>ConversationDocuments</name>
    <message>
        <location filename="../chat/retrieval.py" line="137"/>
        <source>The documents could not be searched: {error}</source>
        <translation>Non è stato possibile cercare nei documenti: {error}</translation>
    </message>
</context>
<context>
    <name>ConversationSettings</name>
    <message>
        <location filename="../conversation_settings.py" line="25"/>
        <source>Free text</source>
        <translation>Testo libero</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="27"/>
        <source>JSON schema</source>
        <translation>Schema JSON</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="28"/>
        <source>Grammar (GBNF)</source>
        <translation>Grammatica (GBNF)</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="33"/>
        <source>A list of strings</source>
        <translation>Un elenco di stringhe</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="35"/>
        <source>An object with typed fields</source>
        <translation>Un oggetto con campi tipizzati</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="40"/>
        <source>An enum choice</source>
        <translation>Una scelta tra valori fissi (enum)</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="43"/>
        <source>Yes or no (grammar)</source>
        <translation>Sì o no (grammatica)</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="68"/>
        <source>Optional instructions for the assistant</source>
        <translation>Istruzioni facoltative per l’assistente</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="70"/>
        <source>System prompt</source>
        <translation>Prompt di sistema</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="83"/>
        <source>Random</source>
        <translation>Casuale</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="84"/>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="84"/>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="85"/>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="85"/>
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="86"/>
        <source>Repeat penalty</source>
        <translation>Penalità di ripetizione</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="87"/>
        <source>Max reply tokens</source>
        <translation>Token massimi per risposta</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="87"/>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="92"/>
        <source>Reset to the model&apos;s defaults</source>
        <translation>Ripristina i valori predefiniti del modello</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="115"/>
        <source>Hold replies to a shape: the model can only write what it allows</source>
        <translation>Vincola le risposte a una forma: il modello può scrivere solo ciò che essa consente</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="116"/>
        <source>Response format</source>
        <translation>Formato della risposta</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="118"/>
        <source>Examples…</source>
        <translation>Esempi…</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="129"/>
        <source>Describe it to the model in the system prompt</source>
        <translation>Descrivilo al modello nel prompt di sistema</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="130"/>
        <source>Small models follow a schema better when they also read it</source>
        <translation>I modelli piccoli seguono meglio uno schema quando possono anche leggerlo</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="164"/>
        <source>…and {count} more</source>
        <translation>…e altri {count}</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="168"/>
        <source>The grammar can be used.</source>
        <translation>La grammatica è utilizzabile.</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="169"/>
        <source>The schema can be used.</source>
        <translation>Lo schema è utilizzabile.</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="201"/>
        <source>Temperature {temperature}, top-p {top_p}, top-k {top_k}, min-p {min_p}, repeat penalty {repeat_penalty}, {max_tokens} reply tokens</source>
        <translation>Temperatura {temperature}, top-p {top_p}, top-k {top_k}, min-p {min_p}, penalità di ripetizione {repeat_penalty}, {max_tokens} token per risposta</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="206"/>
        <source>: as recommended by {source}</source>
        <translation>: come consigliato da {source}</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../sidebar.py" line="66"/>
        <source>Markdown, the branch shown (*.md)</source>
        <translation>Markdown, il ramo mostrato (*.md)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="67"/>
        <source>Web page, the branch shown (*.html)</source>
        <translation>Pagina web, il ramo mostrato (*.html)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="68"/>
        <source>JSON, every branch, can be imported (*.json)</source>
        <translation>JSON, tutti i rami, importabile (*.json)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="98"/>
        <location filename="../sidebar_rows.py" line="99"/>
        <source>New chat</source>
        <translation>Nuova chat</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="112"/>
        <location filename="../sidebar.py" line="141"/>
        <source>Conversations</source>
        <translation>Conversazioni</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="123"/>
        <source>Import…</source>
        <translation>Importa…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="124"/>
        <source>Import a conversation: add one from a JSON file that localchat exported</source>
        <translation>Importa una conversazione: aggiungine una da un file JSON esportato da localchat</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="131"/>
        <source>Search messages (Ctrl+F)</source>
        <translation>Cerca nei messaggi (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="132"/>
        <source>Search messages</source>
        <translation>Cerca nei messaggi</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="157"/>
        <location filename="../sidebar.py" line="449"/>
        <source>Delete</source>
        <translation>Elimina</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="164"/>
        <source>Messages found</source>
        <translation>Messaggi trovati</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="182"/>
        <source>Undo</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="266"/>
        <source>No conversations yet</source>
        <translation>Ancora nessuna conversazione</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="351"/>
        <source>Deleted “{title}”</source>
        <translation>Eliminata «{title}»</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="412"/>
        <source>No messages match</source>
        <translation>Nessun messaggio corrisponde</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="446"/>
        <source>Rename</source>
        <translation>Rinomina</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="447"/>
        <source>Export…</source>
        <translation>Esporta…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="459"/>
        <source>Export conversation</source>
        <translation>Esporta la conversazione</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="473"/>
        <source>Import conversation</source>
        <translation>Importa una conversazione</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="474"/>
        <source>localchat conversation (*.json)</source>
        <translation>conversazione di localchat (*.json)</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="67"/>
        <source>Today</source>
        <translation>Oggi</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="68"/>
        <source>Yesterday</source>
        <translation>Ieri</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="69"/>
        <source>Previous 7 days</source>
        <translation>Ultimi 7 giorni</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="70"/>
        <source>Previous 30 days</source>
        <translation>Ultimi 30 giorni</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="96"/>
        <source>You</source>
        <translation>Tu</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="98"/>
        <source>Assistant</source>
        <translation>Assistente</translation>
    </message>
</context>
<context>
    <name>DocumentsChip</name>
    <message>
        <location filename="../chat/documents_chip.py" line="26"/>
        <source>Documents for this conversation</source>
        <translation>Documenti per questa conversazione</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="72"/>
        <source>Manage collections…</source>
        <translation>Gestisci le raccolte…</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="83"/>
        <source>Searching the documents…</source>
        <translation>Ricerca nei documenti…</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="85"/>
        <source>Documents</source>
        <translation>Documenti</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="89"/>
        <source>Documents: {names}</source>
        <translation>Documenti: {names}</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="91"/>
        <source>Answer from these collections of documents, citing them</source>
        <translation>Rispondi da queste raccolte di documenti, citandole</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="92"/>
        <source>Choose collections of documents to answer from</source>
        <translation>Scegli le raccolte di documenti da cui rispondere</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../documents.py" line="59"/>
        <source> · about {seconds} s left</source>
        <translation> · circa {seconds} s rimanenti</translation>
    </message>
    <message>
        <location filename="../documents.py" line="61"/>
        <source> · about {minutes} min left</source>
        <translation> · circa {minutes} min rimanenti</translation>
    </message>
    <message>
        <location filename="../documents.py" line="119"/>
        <source>Collections</source>
        <translation>Raccolte</translation>
    </message>
    <message>
        <location filename="../documents.py" line="122"/>
        <location filename="../documents.py" line="336"/>
        <source>No collections yet: add a folder to chat with its documents.</source>
        <translation>Ancora nessuna raccolta: aggiungi una cartella per chattare con i suoi documenti.</translation>
    </message>
    <message>
        <location filename="../documents.py" line="124"/>
        <source>New collection…</source>
        <translation>Nuova raccolta…</translation>
    </message>
    <message>
        <location filename="../documents.py" line="125"/>
        <source>Add folder…</source>
        <translation>Aggiungi cartella…</translation>
    </message>
    <message>
        <location filename="../documents.py" line="126"/>
        <source>Add files…</source>
        <translation>Aggiungi file…</translation>
    </message>
    <message>
        <location filename="../documents.py" line="127"/>
        <source>Index now</source>
        <translation>Indicizza ora</translation>
    </message>
    <message>
        <location filename="../documents.py" line="128"/>
        <location filename="../documents.py" line="378"/>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <location filename="../documents.py" line="129"/>
        <source>Remove</source>
        <translation>Rimuovi</translation>
    </message>
    <message>
        <location filename="../documents.py" line="139"/>
        <source>Files of the collection</source>
        <translation>File della raccolta</translation>
    </message>
    <message>
        <location filename="../documents.py" line="192"/>
        <source>{files} files · {chunks} passages</source>
        <translation>{files} file · {chunks} passaggi</translation>
    </message>
    <message>
        <location filename="../documents.py" line="196"/>
        <source> · {count} to index</source>
        <translation> · {count} da indicizzare</translation>
    </message>
    <message>
        <location filename="../documents.py" line="197"/>
        <source> · paused</source>
        <translation> · in pausa</translation>
    </message>
    <message>
        <location filename="../documents.py" line="203"/>
        <source>Tick to use this collection in the conversation</source>
        <translation>Spunta per usare questa raccolta nella conversazione</translation>
    </message>
    <message>
        <location filename="../documents.py" line="294"/>
        <source>New collection</source>
        <translation>Nuova raccolta</translation>
    </message>
    <message>
        <location filename="../documents.py" line="294"/>
        <source>Name of the collection:</source>
        <translation>Nome della raccolta:</translation>
    </message>
    <message>
        <location filename="../documents.py" line="296"/>
        <source>Folder of documents</source>
        <translation>Cartella dei documenti</translation>
    </message>
    <message>
        <location filename="../documents.py" line="305"/>
        <source>Add a folder to {name}</source>
        <translation>Aggiungi una cartella a {name}</translation>
    </message>
    <message>
        <location filename="../documents.py" line="313"/>
        <source>Add files to {name}</source>
        <translation>Aggiungi file a {name}</translation>
    </message>
    <message>
        <location filename="../documents.py" line="348"/>
        <source>Unexpected error: {error}</source>
        <translation>Errore imprevisto: {error}</translation>
    </message>
    <message>
        <location filename="../documents.py" line="353"/>
        <source>Indexing {name}: {done}/{total} files · {chunks} passages</source>
        <translation>Indicizzazione di {name}: {done}/{total} file · {chunks} passaggi</translation>
    </message>
    <message>
        <location filename="../documents.py" line="362"/>
        <source>Indexing {name} stopped: {reason}</source>
        <translation>Indicizzazione di {name} interrotta: {reason}</translation>
    </message>
    <message>
        <location filename="../documents.py" line="378"/>
        <source>Resume</source>
        <translation>Riprendi</translation>
    </message>
</context>
<context>
    <name>DownloadControls</name>
    <message>
        <location filename="../download_worker.py" line="131"/>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="132"/>
        <source>Pause</source>
        <translation>Pausa</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="133"/>
        <location filename="../download_worker.py" line="229"/>
        <source>Resume</source>
        <translation>Riprendi</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="134"/>
        <source>Cancel</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="135"/>
        <source>Load</source>
        <translation>Carica</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="136"/>
        <source>Delete</source>
        <translation>Elimina</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="229"/>
        <source>Retry</source>
        <translation>Riprova</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="239"/>
        <location filename="../download_worker.py" line="247"/>
        <source>Installed</source>
        <translation>Installato</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="242"/>
        <source>Waiting (two downloads at a time)</source>
        <translation>In attesa (due download alla volta)</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="245"/>
        <source>Verifying…</source>
        <translation>Verifica in corso…</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="249"/>
        <source>Failed</source>
        <translation>Non riuscito</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="250"/>
        <source>{size} kept</source>
        <translation>{size} conservati</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="251"/>
        <source>nothing downloaded yet</source>
        <translation>ancora nulla scaricato</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="253"/>
        <source>Paused ({kept})</source>
        <translation>In pausa ({kept})</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="254"/>
        <source>Cancelled ({kept})</source>
        <translation>Annullato ({kept})</translation>
    </message>
</context>
<context>
    <name>DownloadIndicator</name>
    <message>
        <location filename="../download_worker.py" line="275"/>
        <source>Downloads: click to open the Model Manager</source>
        <translation>Download: fai clic per aprire il Gestore modelli</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="284"/>
        <source>{count} download</source>
        <translation>{count} download</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="284"/>
        <source>{count} downloads</source>
        <translation>{count} download</translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message>
        <location filename="../model_manager.py" line="175"/>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="177"/>
        <source>Clear finished</source>
        <translation>Rimuovi completati</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="180"/>
        <source>Downloads</source>
        <translation>Download</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="203"/>
        <source>Discard</source>
        <translation>Scarta</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../chat/view.py" line="64"/>
        <source>Use the small demo model now</source>
        <translation>Usa subito il piccolo modello dimostrativo</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="67"/>
        <source>Choose a model for this computer…</source>
        <translation>Scegli un modello per questo computer…</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="82"/>
        <source>Ask anything — it runs on your computer</source>
        <translation>Chiedi qualsiasi cosa: gira sul tuo computer</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="83"/>
        <source>Nothing you write leaves this machine. Try one of these:</source>
        <translation>Nulla di ciò che scrivi lascia questo computer. Prova uno di questi:</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="85"/>
        <source>No model yet</source>
        <translation>Ancora nessun modello</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="86"/>
        <source>A model is the file that writes the replies. Pick one that suits this computer, or try the small demo model at once.</source>
        <translation>Un modello è il file che scrive le risposte. Scegline uno adatto a questo computer, o prova subito il piccolo modello dimostrativo.</translation>
    </message>
</context>
<context>
    <name>FilesModel</name>
    <message>
        <location filename="../documents.py" line="68"/>
        <source>Status</source>
        <translation>Stato</translation>
    </message>
    <message>
        <location filename="../documents.py" line="68"/>
        <source>Passages</source>
        <translation>Passaggi</translation>
    </message>
    <message>
        <location filename="../documents.py" line="69"/>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../documents.py" line="69"/>
        <source>Why</source>
        <translation>Motivo</translation>
    </message>
</context>
<context>
    <name>HubSearchTab</name>
    <message>
        <location filename="../hub_search.py" line="42"/>
        <source>Most downloaded</source>
        <translation>Più scaricati</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="43"/>
        <source>Most liked</source>
        <translation>Più apprezzati</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="62"/>
        <location filename="../hub_search.py" line="199"/>
        <source>unknown</source>
        <translation>sconosciuto</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="101"/>
        <source>Search GGUF models on Hugging Face, e.g. llama 8b instruct</source>
        <translation>Cerca modelli GGUF su Hugging Face, ad es. llama 8b instruct</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="107"/>
        <source>Search</source>
        <translation>Cerca</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="114"/>
        <source>Repository</source>
        <translation>Repository</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="114"/>
        <source>Downloads</source>
        <translation>Download</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="114"/>
        <source>Likes</source>
        <translation>Mi piace</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="115"/>
        <source>Access</source>
        <translation>Accesso</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="118"/>
        <source>File</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="118"/>
        <source>Quantization</source>
        <translation>Quantizzazione</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="118"/>
        <source>Size</source>
        <translation>Dimensione</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="119"/>
        <source>Fit</source>
        <translation>Compatibilità</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="119"/>
        <source>Speed here</source>
        <translation>Velocità qui</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="137"/>
        <source>Searching…</source>
        <translation>Ricerca in corso…</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="150"/>
        <source>gated: needs a token</source>
        <translation>riservato: serve un token</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="151"/>
        <source>open</source>
        <translation>libero</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="154"/>
        <source>No GGUF models match; try fewer words.</source>
        <translation>Nessun modello GGUF corrisponde; prova con meno parole.</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="174"/>
        <source>Listing the files of {repo}…</source>
        <translation>Elenco dei file di {repo}…</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="193"/>
        <source> (+{count} part)</source>
        <translation> (+{count} parte)</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="193"/>
        <source> (+{count} parts)</source>
        <translation> (+{count} parti)</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="198"/>
        <source>checking…</source>
        <translation>verifica…</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="206"/>
        <source>{repo} has no GGUF files.</source>
        <translation>{repo} non contiene file GGUF.</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="223"/>
        <source>The file&apos;s header could not be read: {error}</source>
        <translation>Impossibile leggere l&apos;intestazione del file: {error}</translation>
    </message>
</context>
<context>
    <name>InstalledTab</name>
    <message>
        <location filename="../model_manager.py" line="56"/>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="56"/>
        <source>Size on disk</source>
        <translation>Spazio su disco</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="56"/>
        <source>Source</source>
        <translation>Origine</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="56"/>
        <source>Last used</source>
        <translation>Ultimo utilizzo</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="57"/>
        <source>Drop .gguf files here to add them.</source>
        <translation>Trascina qui i file .gguf per aggiungerli.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="61"/>
        <source>Add local file…</source>
        <translation>Aggiungi file locale…</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="62"/>
        <source>Verify</source>
        <translation>Verifica</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="63"/>
        <source>Delete</source>
        <translation>Elimina</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="63"/>
        <source>Open folder</source>
        <translation>Apri cartella</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="91"/>
        <source>never</source>
        <translation>mai</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="108"/>
        <source>Add GGUF model files</source>
        <translation>Aggiungi file di modelli GGUF</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="109"/>
        <source>GGUF models (*.gguf)</source>
        <translation>Modelli GGUF (*.gguf)</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="114"/>
        <source>Adding {name}…</source>
        <translation>Aggiunta di {name}…</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="116"/>
        <source>Added {name}.</source>
        <translation>{name} aggiunto.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="132"/>
        <source>Select a model to verify.</source>
        <translation>Seleziona un modello da verificare.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="133"/>
        <source>Verifying {name}…</source>
        <translation>Verifica di {name}…</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="135"/>
        <source>{name} is intact.
{details}</source>
        <translation>{name} è integro.
{details}</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <location filename="../chat/token_view.py" line="87"/>
        <source>Token probability:</source>
        <translation>Probabilità del token:</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="96"/>
        <source>underlined: chosen by you</source>
        <translation>sottolineato: scelto da te</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="100"/>
        <source>Legend of the token colours</source>
        <translation>Legenda dei colori dei token</translation>
    </message>
</context>
<context>
    <name>LoadAnywayBar</name>
    <message>
        <location filename="../memory_prompts.py" line="52"/>
        <source>Load anyway</source>
        <translation>Carica comunque</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="54"/>
        <source>Not now</source>
        <translation>Non ora</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="65"/>
        <source>Not loaded: {reason}</source>
        <translation>Non caricato: {reason}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../main_window.py" line="327"/>
        <source>No model loaded</source>
        <translation>Nessun modello caricato</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="238"/>
        <source>Model</source>
        <translation>Modello</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="244"/>
        <source>Conversations</source>
        <translation>Conversazioni</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="247"/>
        <source>Show or hide the conversations (Ctrl+B)</source>
        <translation>Mostra o nascondi le conversazioni (Ctrl+B)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="249"/>
        <source>New chat</source>
        <translation>Nuova chat</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="252"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Nuova chat (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="260"/>
        <source>Settings…</source>
        <translation>Impostazioni…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="277"/>
        <source>Copied</source>
        <translation>Copiato</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="311"/>
        <source>Conversation settings</source>
        <translation>Impostazioni della conversazione</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="318"/>
        <source>Conversation settings: system prompt and sampling</source>
        <translation>Impostazioni della conversazione: prompt di sistema e campionamento</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="339"/>
        <source>Load a model first</source>
        <translation>Prima carica un modello</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="453"/>
        <source>The message cannot be sent now.</source>
        <translation>Il messaggio non può essere inviato ora.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="470"/>
        <source>Generating…</source>
        <translation>Generazione…</translation>
    </message>
</context>
<context>
    <name>MarkdownLabel</name>
    <message>
        <location filename="../chat/bubble.py" line="77"/>
        <source>Copy</source>
        <translation>Copia</translation>
    </message>
</context>
<context>
    <name>MemoryPrompts</name>
    <message>
        <location filename="../memory_prompts.py" line="20"/>
        <source>Load anyway?</source>
        <translation>Caricare comunque?</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="25"/>
        <source>Not enough free memory</source>
        <translation>Memoria libera insufficiente</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="33"/>
        <source>Too big for this computer</source>
        <translation>Troppo grande per questo computer</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="34"/>
        <source>{name}: {reason}

It will not load here unless the computer gets more memory. Download it anyway?</source>
        <translation>{name}: {reason}

Non si caricherà qui a meno che il computer non abbia più memoria. Scaricarlo comunque?</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <location filename="../menus.py" line="17"/>
        <source>Send the message</source>
        <translation>Invia il messaggio</translation>
    </message>
    <message>
        <location filename="../menus.py" line="18"/>
        <source>A new line in the message</source>
        <translation>Una nuova riga nel messaggio</translation>
    </message>
    <message>
        <location filename="../menus.py" line="19"/>
        <source>Stop the reply</source>
        <translation>Ferma la risposta</translation>
    </message>
    <message>
        <location filename="../menus.py" line="55"/>
        <source>Go to the message box</source>
        <translation>Vai alla casella del messaggio</translation>
    </message>
    <message>
        <location filename="../menus.py" line="20"/>
        <source>Move between the conversations, the messages and their actions, and the message box</source>
        <translation>Spostati tra le conversazioni, i messaggi e le loro azioni, e la casella del messaggio</translation>
    </message>
    <message>
        <location filename="../menus.py" line="27"/>
        <source>&amp;File</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location filename="../menus.py" line="29"/>
        <source>Import conversation…</source>
        <translation>Importa una conversazione…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="31"/>
        <source>Export conversation…</source>
        <translation>Esporta la conversazione…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="37"/>
        <source>Quit</source>
        <translation>Esci</translation>
    </message>
    <message>
        <location filename="../menus.py" line="40"/>
        <source>&amp;Models</source>
        <translation>&amp;Modelli</translation>
    </message>
    <message>
        <location filename="../menus.py" line="41"/>
        <source>Model Manager…</source>
        <translation>Gestione modelli…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="44"/>
        <source>Recommended for this computer…</source>
        <translation>Consigliati per questo computer…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="46"/>
        <source>Open GGUF file…</source>
        <translation>Apri un file GGUF…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="49"/>
        <location filename="../window_documents.py" line="67"/>
        <source>&amp;View</source>
        <translation>&amp;Visualizza</translation>
    </message>
    <message>
        <location filename="../menus.py" line="52"/>
        <source>Search messages</source>
        <translation>Cerca nei messaggi</translation>
    </message>
    <message>
        <location filename="../menus.py" line="58"/>
        <source>&amp;Help</source>
        <translation>&amp;Aiuto</translation>
    </message>
    <message>
        <location filename="../menus.py" line="59"/>
        <location filename="../menus.py" line="80"/>
        <location filename="../menus.py" line="83"/>
        <source>Keyboard shortcuts</source>
        <translation>Scorciatoie da tastiera</translation>
    </message>
    <message>
        <location filename="../menus.py" line="62"/>
        <source>About localchat</source>
        <translation>Informazioni su localchat</translation>
    </message>
    <message>
        <location filename="../menus.py" line="84"/>
        <source>Keys</source>
        <translation>Tasti</translation>
    </message>
    <message>
        <location filename="../menus.py" line="84"/>
        <source>Does</source>
        <translation>Azione</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <location filename="../chat/bubble.py" line="190"/>
        <source>Edit the message</source>
        <translation>Modifica il messaggio</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="196"/>
        <source>Cancel</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="198"/>
        <source>Save &amp;&amp; send</source>
        <translation>Salva e invia</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="211"/>
        <source>Previous version</source>
        <translation>Versione precedente</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="214"/>
        <source>Next version</source>
        <translation>Versione successiva</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="223"/>
        <source>Copy this message</source>
        <translation>Copia questo messaggio</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="228"/>
        <source>Edit and send again (keeps the original as a branch)</source>
        <translation>Modifica e invia di nuovo (l’originale resta come ramo)</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="233"/>
        <source>Write another reply (keeps this one as a branch)</source>
        <translation>Scrivi un’altra risposta (questa resta come ramo)</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="263"/>
        <source>You</source>
        <translation>Tu</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="265"/>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="266"/>
        <source>Assistant</source>
        <translation>Assistente</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="404"/>
        <source>Thinking…</source>
        <translation>Sta pensando…</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="406"/>
        <source>Thought</source>
        <translation>Ragionamento</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="410"/>
        <source>Hide what the model thought</source>
        <translation>Nascondi il ragionamento del modello</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="411"/>
        <source>Show what the model thought before answering</source>
        <translation>Mostra cosa ha pensato il modello prima di rispondere</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="425"/>
        <source>Format check</source>
        <translation>Verifica del formato</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <location filename="../model_cards.py" line="130"/>
        <source>unknown</source>
        <translation>sconosciuto</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="145"/>
        <source>New</source>
        <translation>Nuovo</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="147"/>
        <source>Added to the catalog since you last looked</source>
        <translation>Aggiunto al catalogo dall&apos;ultima volta che l&apos;hai consultato</translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <location filename="../model_controller.py" line="55"/>
        <location filename="../model_controller.py" line="296"/>
        <location filename="../model_controller.py" line="318"/>
        <source>No model loaded</source>
        <translation>Nessun modello caricato</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="97"/>
        <source>Could not read the models folder: {reason}</source>
        <translation>Impossibile leggere la cartella dei modelli: {reason}</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="116"/>
        <source>{name} is not a GGUF model file: only .gguf files can be added. Download GGUF models from the Model Manager (Ctrl+M).</source>
        <translation>{name} non è un file di modello GGUF: si possono aggiungere solo file .gguf. Scarica modelli GGUF dalla Gestione modelli (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="124"/>
        <source>Adding {name} to the models folder…</source>
        <translation>Aggiunta di {name} alla cartella dei modelli…</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="126"/>
        <source>Could not add {name}: {reason}</source>
        <translation>Impossibile aggiungere {name}: {reason}</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="156"/>
        <source>The demo model is not installed with this copy of localchat. Choose a model in the Model Manager (Ctrl+M).</source>
        <translation>Il modello dimostrativo non è installato con questa copia di localchat. Scegli un modello nella Gestione modelli (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="207"/>
        <source>Stop the current reply before switching models.</source>
        <translation>Ferma la risposta in corso prima di cambiare modello.</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="224"/>
        <source>The model is loading</source>
        <translation>Il modello si sta caricando</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="232"/>
        <source>Loading {name}…</source>
        <translation>Caricamento di {name}…</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="236"/>
        <source>Loading {name} for an API request…</source>
        <translation>Caricamento di {name} per una richiesta API…</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="254"/>
        <source>{name} · {device} · {threads} threads · context {context} · loaded in {seconds} s</source>
        <translation>{name} · {device} · {threads} thread · contesto {context} · caricato in {seconds} s</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="257"/>
        <source> · loaded for an API request</source>
        <translation> · caricato per una richiesta API</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="264"/>
        <source>{name} is a base model: it continues text rather than follows instructions, so its replies may wander. Pick an instruction-tuned (chat) model for an assistant.</source>
        <translation>{name} è un modello di base: continua il testo invece di seguire istruzioni, quindi le sue risposte possono divagare. Per un assistente scegli un modello addestrato alle istruzioni (chat).</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="297"/>
        <source>Could not load {name}: {reason}</source>
        <translation>Impossibile caricare {name}: {reason}</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="299"/>
        <location filename="../model_controller.py" line="321"/>
        <location filename="../model_controller.py" line="332"/>
        <source>Load a model first</source>
        <translation>Prima carica un modello</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="314"/>
        <source>An API request asked for {name}, which could not load: {reason} The model loaded before stays.</source>
        <translation>Una richiesta API ha chiesto {name}, che non si è potuto caricare: {reason} Resta il modello caricato prima.</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="319"/>
        <source>An API request asked for {name}, which could not load: {reason}</source>
        <translation>Una richiesta API ha chiesto {name}, che non si è potuto caricare: {reason}</translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <location filename="../model_manager.py" line="151"/>
        <location filename="../model_manager.py" line="164"/>
        <source>Delete model</source>
        <translation>Elimina modello</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="152"/>
        <source>Delete {name} ({size})?
Its file is removed from the disk.</source>
        <translation>Eliminare {name} ({size})?
Il suo file verrà rimosso dal disco.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="233"/>
        <source>Model Manager</source>
        <translation>Gestione modelli</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="251"/>
        <source>Recommended</source>
        <translation>Consigliati</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="251"/>
        <source>Catalog</source>
        <translation>Catalogo</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="252"/>
        <source>Search Hugging Face</source>
        <translation>Cerca su Hugging Face</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="252"/>
        <source>Installed</source>
        <translation>Installati</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="258"/>
        <source>Hugging Face token…</source>
        <translation>Token Hugging Face…</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="259"/>
        <source>For gated models (Llama, Gemma, …): a read token from huggingface.co/settings/tokens</source>
        <translation>Per i modelli ad accesso riservato (Llama, Gemma, …): un token di lettura da huggingface.co/settings/tokens</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="265"/>
        <source>Prefer quality: a larger model at ~4 tokens/s is fine. Prefer speed: ~16 tokens/s or more. Balanced: ~8.</source>
        <translation>Privilegia la qualità: va bene un modello più grande a ~4 tokens/s. Privilegia la velocità: ~16 tokens/s o più. Bilanciato: ~8.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="272"/>
        <source>Recommend</source>
        <translation>Consiglia</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="301"/>
        <source>The model catalog is not available.</source>
        <translation>Il catalogo dei modelli non è disponibile.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="321"/>
        <source>This computer: {summary}</source>
        <translation>Questo computer: {summary}</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="322"/>
        <source>This computer: {summary} · speeds estimated until it is measured</source>
        <translation>Questo computer: {summary} · velocità stimate finché non viene misurato</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="403"/>
        <source>Gated models need a read token from huggingface.co/settings/tokens,
after you accepted the model&apos;s terms on its page. It is kept where `hf auth login`
keeps it, so the hf command uses it too. Leave empty to forget it.</source>
        <translation>I modelli ad accesso riservato richiedono un token di lettura da huggingface.co/settings/tokens,
dopo aver accettato i termini del modello nella sua pagina. Viene salvato dove lo salva `hf auth login`,
quindi lo usa anche il comando hf. Lascia vuoto per dimenticarlo.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="407"/>
        <source>HF_TOKEN is set in the environment: it is used instead while it is set.</source>
        <translation>HF_TOKEN è impostato nell&apos;ambiente: finché lo è, viene usato al suo posto.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="408"/>
        <location filename="../model_manager.py" line="419"/>
        <source>Hugging Face token</source>
        <translation>Token Hugging Face</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="420"/>
        <source>The token could not be saved: {error}</source>
        <translation>Impossibile salvare il token: {error}</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../model_picker.py" line="18"/>
        <source>Open GGUF file…</source>
        <translation>Apri un file GGUF…</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="81"/>
        <source>Pick a model</source>
        <translation>Scegli un modello</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="82"/>
        <source>Model</source>
        <translation>Modello</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="93"/>
        <source>Loading the model</source>
        <translation>Caricamento del modello</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="134"/>
        <source>Open a GGUF model</source>
        <translation>Apri un modello GGUF</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="135"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modelli GGUF (*.gguf);;Tutti i file (*)</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="156"/>
        <source>This computer</source>
        <translation>Questo computer</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="162"/>
        <source>asking for its models…</source>
        <translation>richiesta dei suoi modelli…</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="165"/>
        <source>unavailable: {reason}</source>
        <translation>non disponibile: {reason}</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="167"/>
        <source>no models</source>
        <translation>nessun modello</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="170"/>
        <source>{model} on {backend} ({host})</source>
        <translation>{model} su {backend} ({host})</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="180"/>
        <source>loading</source>
        <translation>in caricamento</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="180"/>
        <source>ready</source>
        <translation>pronto</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="181"/>
        <source>failed</source>
        <translation>non riuscito</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="181"/>
        <source>no model</source>
        <translation>nessun modello</translation>
    </message>
</context>
<context>
    <name>PromptDialog</name>
    <message>
        <location filename="../chat/prompt_dialog.py" line="53"/>
        <source>The model did not show its prompt in time.</source>
        <translation>Il modello non ha mostrato il suo prompt in tempo.</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="54"/>
        <source>Try again once the reply being written has ended.</source>
        <translation>Riprova quando la risposta in corso sarà finita.</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="57"/>
        <source>The prompt could not be shown.</source>
        <translation>Non è stato possibile mostrare il prompt.</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="65"/>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="66"/>
        <source>You</source>
        <translation>Tu</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="67"/>
        <source>Assistant</source>
        <translation>Assistente</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="93"/>
        <source>The prompt as the model sees it</source>
        <translation>Il prompt come lo vede il modello</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="95"/>
        <source>{used} of {n_ctx} context tokens, {messages} messages; {reserve} tokens kept free for the reply</source>
        <translation>{used} di {n_ctx} token di contesto, {messages} messaggi; {reserve} token lasciati liberi per la risposta</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="100"/>
        <source>As {model} reads it: {summary}</source>
        <translation>Come lo legge {model}: {summary}</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="102"/>
        <source>{n} oldest messages are left out to fit the context.</source>
        <translation>I {n} messaggi più vecchi sono esclusi per stare nel contesto.</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="109"/>
        <source>Tokens per message</source>
        <translation>Token per messaggio</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="110"/>
        <location filename="../chat/prompt_dialog.py" line="145"/>
        <source>Message</source>
        <translation>Messaggio</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="110"/>
        <location filename="../chat/prompt_dialog.py" line="141"/>
        <source>Tokens</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="110"/>
        <source>Context</source>
        <translation>Contesto</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="116"/>
        <source>left out</source>
        <translation>escluso</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="117"/>
        <source>left out next when the conversation grows</source>
        <translation>il prossimo a essere escluso quando la conversazione cresce</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="122"/>
        <source>The template&apos;s opening of the reply</source>
        <translation>L&apos;apertura della risposta scritta dal template</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="135"/>
        <source>The text the template wrote</source>
        <translation>Il testo scritto dal template</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="136"/>
        <source>Text</source>
        <translation>Testo</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="140"/>
        <source>The tokens, one tint each</source>
        <translation>I token, una tinta ciascuno</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="143"/>
        <source>Each token&apos;s id</source>
        <translation>L&apos;id di ogni token</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="144"/>
        <source>Token</source>
        <translation>Token</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="144"/>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="144"/>
        <source>Kind</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="148"/>
        <source>special</source>
        <translation>speciale</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="148"/>
        <source>text</source>
        <translation>testo</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="150"/>
        <source>the reply&apos;s opening</source>
        <translation>l&apos;apertura della risposta</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="156"/>
        <source>Token ids</source>
        <translation>Id dei token</translation>
    </message>
</context>
<context>
    <name>RecommendationDialog</name>
    <message>
        <location filename="../recommendation.py" line="48"/>
        <source>Model</source>
        <translation>Modello</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="49"/>
        <location filename="../recommendation.py" line="96"/>
        <location filename="../recommendation.py" line="197"/>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="50"/>
        <source>Needs</source>
        <translation>Richiede</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="51"/>
        <source>Runs on</source>
        <translation>Esegue su</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="52"/>
        <source>Context</source>
        <translation>Contesto</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="53"/>
        <source>Fit</source>
        <translation>Compatibilità</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="54"/>
        <source>Speed here</source>
        <translation>Velocità qui</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="64"/>
        <source>Choose a model to start with</source>
        <translation>Scegli un modello per iniziare</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="74"/>
        <source>Checking this computer&apos;s memory and speed (a few seconds, once)…</source>
        <translation>Verifica della memoria e della velocità di questo computer (pochi secondi, una volta sola)…</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="93"/>
        <source>Prefer quality: a larger model at ~4 tokens/s is fine. Prefer speed: ~16 tokens/s or more. Balanced: ~8, reading speed.</source>
        <translation>Privilegia la qualità: va bene un modello più grande a ~4 tokens/s. Privilegia la velocità: ~16 tokens/s o più. Bilanciato: ~8, la velocità di lettura.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="100"/>
        <source>Chat with the small demo model now</source>
        <translation>Chatta subito con il piccolo modello demo</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="102"/>
        <source>SmolLM2 135M Instruct comes with localchat: it answers at once while the download runs; it knows little and errs often.</source>
        <translation>SmolLM2 135M Instruct è incluso in localchat: risponde subito mentre il download prosegue; sa poco e sbaglia spesso.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="105"/>
        <source>Not now</source>
        <translation>Non ora</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="111"/>
        <source>Recommend</source>
        <translation>Consiglia</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="114"/>
        <source>Other models that fit:</source>
        <translation>Altri modelli compatibili:</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="182"/>
        <source>This computer: {summary}</source>
        <translation>Questo computer: {summary}</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="185"/>
        <source>No model in the catalog fits this computer&apos;s memory.</source>
        <translation>Nessun modello del catalogo entra nella memoria di questo computer.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="188"/>
        <source>Close other apps and try again, or add a model file you already have.</source>
        <translation>Chiudi le altre app e riprova, oppure aggiungi un file di modello che hai già.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="191"/>
        <source>{headline}{speed} · {size} download</source>
        <translation>{headline}{speed} · {size} da scaricare</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="194"/>
        <source> Its {ttft}.</source>
        <translation> Attesa: {ttft}.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="196"/>
        <source>Download {name}</source>
        <translation>Scarica {name}</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="233"/>
        <source>localchat could not check this computer: {error}</source>
        <translation>localchat non è riuscito a verificare questo computer: {error}</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="246"/>
        <source>Download {name} ({size})</source>
        <translation>Scarica {name} ({size})</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="272"/>
        <source>, reads memory at {speed}</source>
        <translation>, legge la memoria a {speed}</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="287"/>
        <source> It should write {speed} here.</source>
        <translation> Qui dovrebbe scrivere a {speed}.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="290"/>
        <source>Download finished</source>
        <translation>Download completato</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="291"/>
        <source>{name} is downloaded.{speed} Switch to it now? The conversation so far stays in the history.</source>
        <translation>{name} è stato scaricato.{speed} Passare subito a questo modello? La conversazione finora resta nella cronologia.</translation>
    </message>
</context>
<context>
    <name>RemoteModels</name>
    <message>
        <location filename="../remote_models.py" line="127"/>
        <source>The backend {backend} was changed or removed: pick a model to go on.</source>
        <translation>Il backend {backend} è stato modificato o rimosso: scegli un modello per continuare.</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="137"/>
        <source>Stop the current reply before switching models.</source>
        <translation>Ferma la risposta in corso prima di cambiare modello.</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="151"/>
        <source>Asking {backend} what {model} can do…</source>
        <translation>Chiedo a {backend} cosa sa fare {model}…</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="186"/>
        <source>{model} on {backend} ({url})</source>
        <translation>{model} su {backend} ({url})</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="207"/>
        <source>{backend} did not stream a reply: {why}</source>
        <translation>{backend} non ha trasmesso una risposta in streaming: {why}</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="208"/>
        <location filename="../remote_models.py" line="210"/>
        <location filename="../remote_models.py" line="215"/>
        <location filename="../remote_models.py" line="229"/>
        <source>not offered</source>
        <translation>non disponibile</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="212"/>
        <source>{backend} does not accept a JSON schema: {why}</source>
        <translation>{backend} non accetta uno schema JSON: {why}</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="217"/>
        <source>{backend} does not follow a grammar: {why}</source>
        <translation>{backend} non segue una grammatica: {why}</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="242"/>
        <source>{model} on {backend}</source>
        <translation>{model} su {backend}</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="247"/>
        <source>No model loaded</source>
        <translation>Nessun modello caricato</translation>
    </message>
</context>
<context>
    <name>RequestLogDialog</name>
    <message>
        <location filename="../api_server.py" line="257"/>
        <source>Time</source>
        <translation>Ora</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="257"/>
        <source>Request</source>
        <translation>Richiesta</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="258"/>
        <source>Status</source>
        <translation>Stato</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="258"/>
        <source>Model</source>
        <translation>Modello</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="259"/>
        <source>Tokens in → out</source>
        <translation>Token in → out</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="260"/>
        <source>Duration</source>
        <translation>Durata</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="264"/>
        <source>API request log</source>
        <translation>Registro delle richieste API</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="274"/>
        <source>API requests</source>
        <translation>Richieste API</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="277"/>
        <source>The selected request&apos;s messages and reply</source>
        <translation>Messaggi e risposta della richiesta selezionata</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="278"/>
        <source>Message contents are not kept. Settings → API server → &quot;Keep message contents in the request log&quot; keeps them.</source>
        <translation>Il contenuto dei messaggi non viene conservato. Impostazioni → Server API → «Conserva il contenuto dei messaggi nel registro delle richieste» lo conserva.</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="298"/>
        <source>{seconds} s</source>
        <translation>{seconds} s</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="31"/>
        <source>Auto (as many layers as fit)</source>
        <translation>Automatico (quanti strati ci stanno)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="32"/>
        <source>CPU only</source>
        <translation>Solo CPU</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="33"/>
        <source>A number of layers</source>
        <translation>Un numero di strati</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="34"/>
        <source>All layers</source>
        <translation>Tutti gli strati</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="35"/>
        <source>As the system (follows it)</source>
        <translation>Come il sistema (lo segue)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="36"/>
        <source>Light</source>
        <translation>Chiaro</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="37"/>
        <source>Dark</source>
        <translation>Scuro</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="47"/>
        <source>Settings</source>
        <translation>Impostazioni</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="57"/>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="60"/>
        <source>The size of all text, messages and code included</source>
        <translation>La dimensione di tutto il testo, messaggi e codice compresi</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="61"/>
        <source>Font size</source>
        <translation>Dimensione del testo</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="64"/>
        <source>As the system</source>
        <translation>Come il sistema</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="68"/>
        <source>Shown from the next start of localchat</source>
        <translation>In uso dal prossimo avvio di localchat</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="69"/>
        <source>Language</source>
        <translation>Lingua</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="73"/>
        <source>Browse…</source>
        <translation>Sfoglia…</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="78"/>
        <location filename="../settings_dialog.py" line="176"/>
        <source>Models folder</source>
        <translation>Cartella dei modelli</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="81"/>
        <source>Automatic ({count})</source>
        <translation>Automatico ({count})</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="82"/>
        <source>CPU threads</source>
        <translation>Thread della CPU</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="91"/>
        <source>This build of llama.cpp cannot offload to a GPU (see the README for GPU builds); models run on the CPU.</source>
        <translation>Questa versione di llama.cpp non può usare una GPU (vedi il README per le versioni GPU); i modelli girano sulla CPU.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="93"/>
        <source>GPU offload</source>
        <translation>Scarico su GPU</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="94"/>
        <source>GPU layers</source>
        <translation>Strati su GPU</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="97"/>
        <source>The model&apos;s default</source>
        <translation>Quello del modello</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="98"/>
        <source>0: a catalog model&apos;s own context; any other model&apos;s training context, up to {count} tokens</source>
        <translation>0: il contesto proprio di un modello del catalogo; per gli altri modelli il contesto di addestramento, fino a {count} token</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="100"/>
        <source>Context length (tokens)</source>
        <translation>Lunghezza del contesto (token)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="105"/>
        <source>Remote backends…</source>
        <translation>Backend remoti…</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="106"/>
        <source>Servers on other computers that speak OpenAI&apos;s API (Ollama, vLLM, llama-server, LM Studio, another localchat)</source>
        <translation>Server su altri computer che parlano l’API di OpenAI (Ollama, vLLM, llama-server, LM Studio, un altro localchat)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="109"/>
        <source>Other computers</source>
        <translation>Altri computer</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="119"/>
        <source>API server: let other apps use the model (OpenAI-compatible)</source>
        <translation>Server API: lascia usare il modello ad altre app (compatibile OpenAI)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="125"/>
        <source>127.0.0.1: only this computer can connect. 0.0.0.0 or this computer&apos;s address: other computers on the network too, with the API key.</source>
        <translation>127.0.0.1: può collegarsi solo questo computer. 0.0.0.0 o l’indirizzo di questo computer: anche gli altri computer della rete, con la chiave API.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="127"/>
        <source>Host</source>
        <translation>Host</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="129"/>
        <source>Any free port</source>
        <translation>Una porta libera qualsiasi</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="130"/>
        <source>Port</source>
        <translation>Porta</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="133"/>
        <source>None</source>
        <translation>Nessuna</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="134"/>
        <source>API key</source>
        <translation>Chiave API</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="136"/>
        <source>None: web pages cannot call the API</source>
        <translation>Nessuna: le pagine web non possono chiamare l’API</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="137"/>
        <source>Origins of web pages allowed to call the API, separated by spaces or commas, e.g. http://localhost:3000</source>
        <translation>Origini delle pagine web autorizzate a chiamare l’API, separate da spazi o virgole, per es. http://localhost:3000</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="139"/>
        <source>CORS origins</source>
        <translation>Origini CORS</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="140"/>
        <source>Keep message contents in the request log</source>
        <translation>Conserva il contenuto dei messaggi nel registro delle richieste</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="142"/>
        <source>Off: the log keeps only each request&apos;s time, endpoint, status, tokens and duration</source>
        <translation>Disattivato: il registro conserva solo ora, endpoint, stato, token e durata di ogni richiesta</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="160"/>
        <source>Serving on {host} lets other computers use this model: set an API key, or serve on {local}.</source>
        <translation>Servire su {host} permette ad altri computer di usare questo modello: imposta una chiave API, o servi su {local}.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="209"/>
        <source>Remote backends</source>
        <translation>Backend remoti</translation>
    </message>
</context>
<context>
    <name>SourcesView</name>
    <message>
        <location filename="../chat/sources.py" line="84"/>
        <location filename="../chat/sources.py" line="116"/>
        <source>Sources</source>
        <translation>Fonti</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="113"/>
        <source>Sources: no passage of the documents was relevant to the question.</source>
        <translation>Fonti: nessun passo dei documenti era pertinente alla domanda.</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="121"/>
        <source>{citations} point to no passage.</source>
        <translation>{citations} non rimandano ad alcun passo.</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="124"/>
        <source>Check {citations}: the sentence citing it shares no words with the passage.</source>
        <translation>Verifica {citations}: la frase che lo cita non ha parole in comune con il passo.</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="136"/>
        <source>{name}, page {page}</source>
        <translation>{name}, pagina {page}</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="138"/>
        <source>(not cited)</source>
        <translation>(non citato)</translation>
    </message>
</context>
<context>
    <name>TokenText</name>
    <message>
        <location filename="../chat/token_view.py" line="130"/>
        <source>The reply&apos;s tokens</source>
        <translation>I token della risposta</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="131"/>
        <source>Point at a token, or use ← and →, to see what else the model weighed there</source>
        <translation>Punta un token, o usa ← e →, per vedere cos&apos;altro il modello ha considerato lì</translation>
    </message>
</context>
<context>
    <name>UnderTheHood</name>
    <message>
        <location filename="../chat/under_the_hood.py" line="59"/>
        <source>Show token probabilities</source>
        <translation>Mostra le probabilità dei token</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="60"/>
        <location filename="../chat/under_the_hood.py" line="112"/>
        <source>Colour each token of a reply by how likely the model found it, and show what else it weighed there</source>
        <translation>Colora ogni token di una risposta secondo quanto il modello lo riteneva probabile, e mostra cos&apos;altro ha considerato lì</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="127"/>
        <source>not offered</source>
        <translation>non offerto</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="128"/>
        <source>{backend} gives no token probabilities: {why}</source>
        <translation>{backend} non fornisce le probabilità dei token: {why}</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="139"/>
        <source>Show the prompt as the model sees it</source>
        <translation>Mostra il prompt come lo vede il modello</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="146"/>
        <source>Ask another model (both replies kept, side by side)</source>
        <translation>Chiedi a un altro modello (entrambe le risposte tenute, affiancate)</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="172"/>
        <source>No other model is installed</source>
        <translation>Nessun altro modello è installato</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="215"/>
        <source>These tokens came from a remote server, named by their text: a branch from one needs a reply written on this computer.</source>
        <translation>Questi token vengono da un server remoto, che li nomina col loro testo: un ramo da uno di essi richiede una risposta scritta su questo computer.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="218"/>
        <source>Wait for the reply being written to end.</source>
        <translation>Attendi che finisca la risposta in corso.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="220"/>
        <source>Branching from a token needs the model on this computer.</source>
        <translation>Per ramificare da un token serve il modello su questo computer.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="223"/>
        <source>Load {model} to branch from its tokens.</source>
        <translation>Carica {model} per ramificare dai suoi token.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="264"/>
        <source>The prompt as the model sees it needs a model loaded on this computer.</source>
        <translation>Il prompt come lo vede il modello richiede un modello caricato su questo computer.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="308"/>
        <source>How much of the model&apos;s context this conversation fills; past it, the oldest turns are left out</source>
        <translation>Quanto del contesto del modello occupa questa conversazione; oltre, i turni più vecchi vengono esclusi</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="311"/>
        <source>Left out next: {what}</source>
        <translation>Il prossimo escluso: {what}</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="319"/>
        <source>{n} oldest messages left out</source>
        <translation>{n} messaggi più vecchi esclusi</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="321"/>
        <source>next: {what}</source>
        <translation>il prossimo: {what}</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="324"/>
        <source>left out next: {what}</source>
        <translation>il prossimo escluso: {what}</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="329"/>
        <source>your message</source>
        <translation>il tuo messaggio</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="329"/>
        <source>a reply</source>
        <translation>una risposta</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="334"/>
        <source>and its reply</source>
        <translation>e la sua risposta</translation>
    </message>
</context>
<context>
    <name>WindowDocuments</name>
    <message>
        <location filename="../window_documents.py" line="37"/>
        <source>Documents</source>
        <translation>Documenti</translation>
    </message>
    <message>
        <location filename="../window_documents.py" line="44"/>
        <source>Documents: collections to chat with, and their indexing</source>
        <translation>Documenti: le raccolte con cui conversare e la loro indicizzazione</translation>
    </message>
</context>
</TS>
