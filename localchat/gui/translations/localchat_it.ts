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
    <name>Banner</name>
    <message>
        <location filename="../banner.py" line="23"/>
        <location filename="../banner.py" line="24"/>
        <source>Dismiss</source>
        <translation>Chiudi</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <location filename="../chat/controller.py" line="48"/>
        <source>interrupted</source>
        <translation>interrotta</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="120"/>
        <source>The model is still loading.
Your message can be sent as soon as it is ready.</source>
        <translation>Il modello si sta ancora caricando.
Il tuo messaggio potrà essere inviato appena sarà pronto.</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="122"/>
        <source>No model is loaded.
Pick one in the Model list at the top, or download one with Models ▸ Model Manager… (Ctrl+M).</source>
        <translation>Nessun modello caricato.
Scegline uno nell’elenco dei modelli in alto, o scaricane uno da Modelli ▸ Gestione modelli… (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="150"/>
        <location filename="../chat/controller.py" line="172"/>
        <source>Stop the current reply before opening another conversation.</source>
        <translation>Ferma la risposta in corso prima di aprire un’altra conversazione.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../chat/view.py" line="463"/>
        <source>Explain how a rainbow forms, in three sentences</source>
        <translation>Spiega in tre frasi come si forma un arcobaleno</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="464"/>
        <source>Write a Python function that tells whether a word is a palindrome</source>
        <translation>Scrivi una funzione Python che dica se una parola è palindroma</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="465"/>
        <source>Suggest five names for a café in an old lighthouse</source>
        <translation>Proponi cinque nomi per un caffè in un vecchio faro</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="549"/>
        <source>Conversation</source>
        <translation>Conversazione</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="566"/>
        <source>Show earlier messages</source>
        <translation>Mostra i messaggi precedenti</translation>
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
        <location filename="../chat/composer.py" line="116"/>
        <source>Stop</source>
        <translation>Ferma</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="116"/>
        <source>Stop the reply (Esc)</source>
        <translation>Ferma la risposta (Esc)</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="118"/>
        <source>Send</source>
        <translation>Invia</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="118"/>
        <source>Send (Enter)</source>
        <translation>Invia (Invio)</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="144"/>
        <source>{used} / {size} tokens</source>
        <translation>{used} / {size} token</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../sidebar.py" line="78"/>
        <source>Markdown, the branch shown (*.md)</source>
        <translation>Markdown, il ramo mostrato (*.md)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="79"/>
        <source>Web page, the branch shown (*.html)</source>
        <translation>Pagina web, il ramo mostrato (*.html)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="80"/>
        <source>JSON, every branch, can be imported (*.json)</source>
        <translation>JSON, tutti i rami, importabile (*.json)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="156"/>
        <location filename="../sidebar.py" line="572"/>
        <source>New chat</source>
        <translation>Nuova chat</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="170"/>
        <location filename="../sidebar.py" line="199"/>
        <source>Conversations</source>
        <translation>Conversazioni</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="181"/>
        <source>Import…</source>
        <translation>Importa…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="182"/>
        <source>Import a conversation: add one from a JSON file that localchat exported</source>
        <translation>Importa una conversazione: aggiungine una da un file JSON esportato da localchat</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="189"/>
        <source>Search messages (Ctrl+F)</source>
        <translation>Cerca nei messaggi (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="190"/>
        <source>Search messages</source>
        <translation>Cerca nei messaggi</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="215"/>
        <location filename="../sidebar.py" line="507"/>
        <source>Delete</source>
        <translation>Elimina</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="222"/>
        <source>Messages found</source>
        <translation>Messaggi trovati</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="240"/>
        <source>Undo</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="324"/>
        <source>No conversations yet</source>
        <translation>Ancora nessuna conversazione</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="409"/>
        <source>Deleted “{title}”</source>
        <translation>Eliminata «{title}»</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="470"/>
        <source>No messages match</source>
        <translation>Nessun messaggio corrisponde</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="504"/>
        <source>Rename</source>
        <translation>Rinomina</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="505"/>
        <source>Export…</source>
        <translation>Esporta…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="517"/>
        <source>Export conversation</source>
        <translation>Esporta la conversazione</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="531"/>
        <source>Import conversation</source>
        <translation>Importa una conversazione</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="532"/>
        <source>localchat conversation (*.json)</source>
        <translation>conversazione di localchat (*.json)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="544"/>
        <source>Today</source>
        <translation>Oggi</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="544"/>
        <source>Yesterday</source>
        <translation>Ieri</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="545"/>
        <source>Previous 7 days</source>
        <translation>Ultimi 7 giorni</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="546"/>
        <source>Previous 30 days</source>
        <translation>Ultimi 30 giorni</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="571"/>
        <source>You</source>
        <translation>Tu</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="571"/>
        <source>Assistant</source>
        <translation>Assistente</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../chat/view.py" line="501"/>
        <source>Use the small demo model now</source>
        <translation>Usa subito il piccolo modello dimostrativo</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="504"/>
        <source>Choose a model for this computer…</source>
        <translation>Scegli un modello per questo computer…</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="519"/>
        <source>Ask anything — it runs on your computer</source>
        <translation>Chiedi qualsiasi cosa: gira sul tuo computer</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="520"/>
        <source>Nothing you write leaves this machine. Try one of these:</source>
        <translation>Nulla di ciò che scrivi lascia questo computer. Prova uno di questi:</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="522"/>
        <source>No model yet</source>
        <translation>Ancora nessun modello</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="523"/>
        <source>A model is the file that writes the replies. Pick one that suits this computer, or try the small demo model at once.</source>
        <translation>Un modello è il file che scrive le risposte. Scegline uno adatto a questo computer, o prova subito il piccolo modello dimostrativo.</translation>
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
        <location filename="../main_window.py" line="108"/>
        <location filename="../main_window.py" line="339"/>
        <location filename="../main_window.py" line="570"/>
        <location filename="../main_window.py" line="591"/>
        <source>No model loaded</source>
        <translation>Nessun modello caricato</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="249"/>
        <source>Model</source>
        <translation>Modello</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="255"/>
        <source>Conversations</source>
        <translation>Conversazioni</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="258"/>
        <source>Show or hide the conversations (Ctrl+B)</source>
        <translation>Mostra o nascondi le conversazioni (Ctrl+B)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="260"/>
        <source>New chat</source>
        <translation>Nuova chat</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="263"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Nuova chat (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="272"/>
        <source>Settings…</source>
        <translation>Impostazioni…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="290"/>
        <source>Copied</source>
        <translation>Copiato</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="324"/>
        <source>Conversation settings</source>
        <translation>Impostazioni della conversazione</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="331"/>
        <source>Conversation settings: system prompt and sampling</source>
        <translation>Impostazioni della conversazione: prompt di sistema e campionamento</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="351"/>
        <location filename="../main_window.py" line="572"/>
        <location filename="../main_window.py" line="594"/>
        <location filename="../main_window.py" line="605"/>
        <source>Load a model first</source>
        <translation>Prima carica un modello</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="394"/>
        <source>{name} is not a GGUF model file: only .gguf files can be added. Download GGUF models from the Model Manager (Ctrl+M).</source>
        <translation>{name} non è un file di modello GGUF: si possono aggiungere solo file .gguf. Scarica modelli GGUF dalla Gestione modelli (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="401"/>
        <source>Adding {name} to the models folder…</source>
        <translation>Aggiunta di {name} alla cartella dei modelli…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="403"/>
        <source>Could not add {name}: {reason}</source>
        <translation>Impossibile aggiungere {name}: {reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="420"/>
        <source>The demo model is not installed with this copy of localchat. Choose a model in the Model Manager (Ctrl+M).</source>
        <translation>Il modello dimostrativo non è installato con questa copia di localchat. Scegli un modello nella Gestione modelli (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="462"/>
        <source>Could not read the models folder: {reason}</source>
        <translation>Impossibile leggere la cartella dei modelli: {reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="487"/>
        <source>Stop the current reply before switching models.</source>
        <translation>Ferma la risposta in corso prima di cambiare modello.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="503"/>
        <source>The model is loading</source>
        <translation>Il modello si sta caricando</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="511"/>
        <source>Loading {name}…</source>
        <translation>Caricamento di {name}…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="515"/>
        <source>Loading {name} for an API request…</source>
        <translation>Caricamento di {name} per una richiesta API…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="533"/>
        <source>{name} · {device} · {threads} threads · context {context} · loaded in {seconds} s</source>
        <translation>{name} · {device} · {threads} thread · contesto {context} · caricato in {seconds} s</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="536"/>
        <source> · loaded for an API request</source>
        <translation> · caricato per una richiesta API</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="543"/>
        <source>{name} is a base model: it continues text rather than follows instructions, so its replies may wander. Pick an instruction-tuned (chat) model for an assistant.</source>
        <translation>{name} è un modello di base: continua il testo invece di seguire istruzioni, quindi le sue risposte possono divagare. Per un assistente scegli un modello addestrato alle istruzioni (chat).</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="571"/>
        <source>Could not load {name}: {reason}</source>
        <translation>Impossibile caricare {name}: {reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="587"/>
        <source>An API request asked for {name}, which could not load: {reason} The model loaded before stays.</source>
        <translation>Una richiesta API ha chiesto {name}, che non si è potuto caricare: {reason} Resta il modello caricato prima.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="592"/>
        <source>An API request asked for {name}, which could not load: {reason}</source>
        <translation>Una richiesta API ha chiesto {name}, che non si è potuto caricare: {reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="669"/>
        <source>The message cannot be sent now.</source>
        <translation>Il messaggio non può essere inviato ora.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="686"/>
        <source>Generating…</source>
        <translation>Generazione…</translation>
    </message>
</context>
<context>
    <name>MarkdownLabel</name>
    <message>
        <location filename="../chat/view.py" line="76"/>
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
        <location filename="../chat/view.py" line="187"/>
        <source>Edit the message</source>
        <translation>Modifica il messaggio</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="193"/>
        <source>Cancel</source>
        <translation>Annulla</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="195"/>
        <source>Save &amp;&amp; send</source>
        <translation>Salva e invia</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="208"/>
        <source>Previous version</source>
        <translation>Versione precedente</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="211"/>
        <source>Next version</source>
        <translation>Versione successiva</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="220"/>
        <source>Copy this message</source>
        <translation>Copia questo messaggio</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="225"/>
        <source>Edit and send again (keeps the original as a branch)</source>
        <translation>Modifica e invia di nuovo (l’originale resta come ramo)</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="230"/>
        <source>Write another reply (keeps this one as a branch)</source>
        <translation>Scrivi un’altra risposta (questa resta come ramo)</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="260"/>
        <source>You</source>
        <translation>Tu</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="262"/>
        <source>System</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="263"/>
        <source>Assistant</source>
        <translation>Assistente</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="400"/>
        <source>Thinking…</source>
        <translation>Sta pensando…</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="402"/>
        <source>Thought</source>
        <translation>Ragionamento</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="406"/>
        <source>Hide what the model thought</source>
        <translation>Nascondi il ragionamento del modello</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="407"/>
        <source>Show what the model thought before answering</source>
        <translation>Mostra cosa ha pensato il modello prima di rispondere</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="421"/>
        <source>Format check</source>
        <translation>Verifica del formato</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../model_picker.py" line="16"/>
        <source>Open GGUF file…</source>
        <translation>Apri un file GGUF…</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="49"/>
        <source>Pick a model</source>
        <translation>Scegli un modello</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="50"/>
        <source>Model</source>
        <translation>Modello</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="60"/>
        <source>Loading the model</source>
        <translation>Caricamento del modello</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="91"/>
        <source>Open a GGUF model</source>
        <translation>Apri un modello GGUF</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="92"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modelli GGUF (*.gguf);;Tutti i file (*)</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="119"/>
        <source>loading</source>
        <translation>in caricamento</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="119"/>
        <source>ready</source>
        <translation>pronto</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="120"/>
        <source>failed</source>
        <translation>non riuscito</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="120"/>
        <source>no model</source>
        <translation>nessun modello</translation>
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
</TS>
