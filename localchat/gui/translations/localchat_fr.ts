<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>AboutDialog</name>
    <message>
        <location filename="../about.py" line="50"/>
        <source>About {app}</source>
        <translation>À propos de {app}</translation>
    </message>
    <message>
        <location filename="../about.py" line="57"/>
        <source>Chat with language models that run entirely on your own computer.</source>
        <translation>Discutez avec des modèles de langage qui tournent entièrement sur votre ordinateur.</translation>
    </message>
    <message>
        <location filename="../about.py" line="66"/>
        <source>{variant} build ({note})</source>
        <translation>version {variant} ({note})</translation>
    </message>
    <message>
        <location filename="../about.py" line="67"/>
        <source>Build</source>
        <translation>Version</translation>
    </message>
    <message>
        <location filename="../about.py" line="69"/>
        <source>GPU offload</source>
        <translation>Déchargement sur GPU</translation>
    </message>
    <message>
        <location filename="../about.py" line="69"/>
        <source>available</source>
        <translation>disponible</translation>
    </message>
    <message>
        <location filename="../about.py" line="70"/>
        <source>not in this build</source>
        <translation>absent de cette version</translation>
    </message>
    <message>
        <location filename="../about.py" line="72"/>
        <source>{version} on {system}</source>
        <translation>{version} sur {system}</translation>
    </message>
    <message>
        <location filename="../about.py" line="80"/>
        <source>llama.cpp system info (CPU features and backends it was built with):</source>
        <translation>Informations système de llama.cpp (fonctions du processeur et moteurs avec lesquels il a été compilé) :</translation>
    </message>
    <message>
        <location filename="../about.py" line="87"/>
        <source>Copy details</source>
        <translation>Copier les détails</translation>
    </message>
    <message>
        <location filename="../about.py" line="110"/>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
</context>
<context>
    <name>Banner</name>
    <message>
        <location filename="../banner.py" line="23"/>
        <location filename="../banner.py" line="24"/>
        <source>Dismiss</source>
        <translation>Fermer</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <location filename="../chat/controller.py" line="48"/>
        <source>interrupted</source>
        <translation>interrompue</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="120"/>
        <source>The model is still loading.
Your message can be sent as soon as it is ready.</source>
        <translation>Le modèle est encore en cours de chargement.
Votre message pourra être envoyé dès qu’il sera prêt.</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="122"/>
        <source>No model is loaded.
Pick one in the Model list at the top, or download one with Models ▸ Model Manager… (Ctrl+M).</source>
        <translation>Aucun modèle n’est chargé.
Choisissez-en un dans la liste des modèles en haut, ou téléchargez-en un avec Modèles ▸ Gestionnaire de modèles… (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="150"/>
        <location filename="../chat/controller.py" line="172"/>
        <source>Stop the current reply before opening another conversation.</source>
        <translation>Arrêtez la réponse en cours avant d’ouvrir une autre conversation.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../chat/view.py" line="463"/>
        <source>Explain how a rainbow forms, in three sentences</source>
        <translation>Explique en trois phrases comment se forme un arc-en-ciel</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="464"/>
        <source>Write a Python function that tells whether a word is a palindrome</source>
        <translation>Écris une fonction Python qui dit si un mot est un palindrome</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="465"/>
        <source>Suggest five names for a café in an old lighthouse</source>
        <translation>Propose cinq noms pour un café dans un vieux phare</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="549"/>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="566"/>
        <source>Show earlier messages</source>
        <translation>Afficher les messages précédents</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../chat/composer.py" line="59"/>
        <source>Send a message</source>
        <translation>Envoyer un message</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="60"/>
        <source>Enter sends, Shift+Enter starts a new line</source>
        <translation>Entrée envoie, Maj+Entrée passe à la ligne</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="61"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="82"/>
        <source>How much of the model&apos;s context this conversation fills; past it, the oldest turns are left out</source>
        <translation>La part du contexte du modèle qu’occupe cette conversation ; au-delà, les tours les plus anciens sont laissés de côté</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="116"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="116"/>
        <source>Stop the reply (Esc)</source>
        <translation>Arrêter la réponse (Échap)</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="118"/>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="118"/>
        <source>Send (Enter)</source>
        <translation>Envoyer (Entrée)</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="144"/>
        <source>{used} / {size} tokens</source>
        <translation>{used} / {size} jetons</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../sidebar.py" line="78"/>
        <source>Markdown, the branch shown (*.md)</source>
        <translation>Markdown, la branche affichée (*.md)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="79"/>
        <source>Web page, the branch shown (*.html)</source>
        <translation>Page web, la branche affichée (*.html)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="80"/>
        <source>JSON, every branch, can be imported (*.json)</source>
        <translation>JSON, toutes les branches, importable (*.json)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="156"/>
        <location filename="../sidebar.py" line="572"/>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="170"/>
        <location filename="../sidebar.py" line="199"/>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="181"/>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="182"/>
        <source>Import a conversation: add one from a JSON file that localchat exported</source>
        <translation>Importer une conversation : en ajouter une depuis un fichier JSON exporté par localchat</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="189"/>
        <source>Search messages (Ctrl+F)</source>
        <translation>Rechercher dans les messages (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="190"/>
        <source>Search messages</source>
        <translation>Rechercher dans les messages</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="215"/>
        <location filename="../sidebar.py" line="507"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="222"/>
        <source>Messages found</source>
        <translation>Messages trouvés</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="240"/>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="324"/>
        <source>No conversations yet</source>
        <translation>Aucune conversation pour l’instant</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="409"/>
        <source>Deleted “{title}”</source>
        <translation>« {title} » supprimée</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="470"/>
        <source>No messages match</source>
        <translation>Aucun message ne correspond</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="504"/>
        <source>Rename</source>
        <translation>Renommer</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="505"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="517"/>
        <source>Export conversation</source>
        <translation>Exporter la conversation</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="531"/>
        <source>Import conversation</source>
        <translation>Importer une conversation</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="532"/>
        <source>localchat conversation (*.json)</source>
        <translation>conversation localchat (*.json)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="544"/>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="544"/>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="545"/>
        <source>Previous 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="546"/>
        <source>Previous 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="571"/>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="571"/>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../chat/view.py" line="501"/>
        <source>Use the small demo model now</source>
        <translation>Utiliser tout de suite le petit modèle de démonstration</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="504"/>
        <source>Choose a model for this computer…</source>
        <translation>Choisir un modèle pour cet ordinateur…</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="519"/>
        <source>Ask anything — it runs on your computer</source>
        <translation>Demandez ce que vous voulez : tout tourne sur votre ordinateur</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="520"/>
        <source>Nothing you write leaves this machine. Try one of these:</source>
        <translation>Rien de ce que vous écrivez ne quitte cette machine. Essayez l’un de ceux-ci :</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="522"/>
        <source>No model yet</source>
        <translation>Pas encore de modèle</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="523"/>
        <source>A model is the file that writes the replies. Pick one that suits this computer, or try the small demo model at once.</source>
        <translation>Un modèle est le fichier qui écrit les réponses. Choisissez-en un qui convient à cet ordinateur, ou essayez tout de suite le petit modèle de démonstration.</translation>
    </message>
</context>
<context>
    <name>LoadAnywayBar</name>
    <message>
        <location filename="../memory_prompts.py" line="52"/>
        <source>Load anyway</source>
        <translation>Charger quand même</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="54"/>
        <source>Not now</source>
        <translation>Pas maintenant</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="65"/>
        <source>Not loaded: {reason}</source>
        <translation>Non chargé : {reason}</translation>
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
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="249"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="255"/>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="258"/>
        <source>Show or hide the conversations (Ctrl+B)</source>
        <translation>Afficher ou masquer les conversations (Ctrl+B)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="260"/>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="263"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Nouvelle discussion (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="272"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="290"/>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="324"/>
        <source>Conversation settings</source>
        <translation>Paramètres de la conversation</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="331"/>
        <source>Conversation settings: system prompt and sampling</source>
        <translation>Paramètres de la conversation : prompt système et échantillonnage</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="351"/>
        <location filename="../main_window.py" line="572"/>
        <location filename="../main_window.py" line="594"/>
        <location filename="../main_window.py" line="605"/>
        <source>Load a model first</source>
        <translation>Chargez d’abord un modèle</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="394"/>
        <source>{name} is not a GGUF model file: only .gguf files can be added. Download GGUF models from the Model Manager (Ctrl+M).</source>
        <translation>{name} n’est pas un fichier de modèle GGUF : seuls les fichiers .gguf peuvent être ajoutés. Téléchargez des modèles GGUF depuis le Gestionnaire de modèles (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="401"/>
        <source>Adding {name} to the models folder…</source>
        <translation>Ajout de {name} au dossier des modèles…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="403"/>
        <source>Could not add {name}: {reason}</source>
        <translation>Impossible d’ajouter {name} : {reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="420"/>
        <source>The demo model is not installed with this copy of localchat. Choose a model in the Model Manager (Ctrl+M).</source>
        <translation>Le modèle de démonstration n’est pas installé avec cette copie de localchat. Choisissez un modèle dans le Gestionnaire de modèles (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="462"/>
        <source>Could not read the models folder: {reason}</source>
        <translation>Impossible de lire le dossier des modèles : {reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="487"/>
        <source>Stop the current reply before switching models.</source>
        <translation>Arrêtez la réponse en cours avant de changer de modèle.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="503"/>
        <source>The model is loading</source>
        <translation>Le modèle est en cours de chargement</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="511"/>
        <source>Loading {name}…</source>
        <translation>Chargement de {name}…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="515"/>
        <source>Loading {name} for an API request…</source>
        <translation>Chargement de {name} pour une requête API…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="533"/>
        <source>{name} · {device} · {threads} threads · context {context} · loaded in {seconds} s</source>
        <translation>{name} · {device} · {threads} threads · contexte {context} · chargé en {seconds} s</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="536"/>
        <source> · loaded for an API request</source>
        <translation> · chargé pour une requête API</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="543"/>
        <source>{name} is a base model: it continues text rather than follows instructions, so its replies may wander. Pick an instruction-tuned (chat) model for an assistant.</source>
        <translation>{name} est un modèle de base : il prolonge le texte au lieu de suivre des instructions, ses réponses peuvent donc divaguer. Pour un assistant, choisissez un modèle entraîné aux instructions (chat).</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="571"/>
        <source>Could not load {name}: {reason}</source>
        <translation>Impossible de charger {name} : {reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="587"/>
        <source>An API request asked for {name}, which could not load: {reason} The model loaded before stays.</source>
        <translation>Une requête API a demandé {name}, qui n’a pas pu être chargé : {reason} Le modèle chargé avant reste.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="592"/>
        <source>An API request asked for {name}, which could not load: {reason}</source>
        <translation>Une requête API a demandé {name}, qui n’a pas pu être chargé : {reason}</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="669"/>
        <source>The message cannot be sent now.</source>
        <translation>Le message ne peut pas être envoyé maintenant.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="686"/>
        <source>Generating…</source>
        <translation>Génération…</translation>
    </message>
</context>
<context>
    <name>MarkdownLabel</name>
    <message>
        <location filename="../chat/view.py" line="76"/>
        <source>Copy</source>
        <translation>Copier</translation>
    </message>
</context>
<context>
    <name>MemoryPrompts</name>
    <message>
        <location filename="../memory_prompts.py" line="20"/>
        <source>Load anyway?</source>
        <translation>Charger quand même ?</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="25"/>
        <source>Not enough free memory</source>
        <translation>Mémoire libre insuffisante</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="33"/>
        <source>Too big for this computer</source>
        <translation>Trop grand pour cet ordinateur</translation>
    </message>
    <message>
        <location filename="../memory_prompts.py" line="34"/>
        <source>{name}: {reason}

It will not load here unless the computer gets more memory. Download it anyway?</source>
        <translation>{name} : {reason}

Il ne se chargera pas ici tant que l’ordinateur n’aura pas plus de mémoire. Le télécharger quand même ?</translation>
    </message>
</context>
<context>
    <name>Menus</name>
    <message>
        <location filename="../menus.py" line="17"/>
        <source>Send the message</source>
        <translation>Envoyer le message</translation>
    </message>
    <message>
        <location filename="../menus.py" line="18"/>
        <source>A new line in the message</source>
        <translation>Une nouvelle ligne dans le message</translation>
    </message>
    <message>
        <location filename="../menus.py" line="19"/>
        <source>Stop the reply</source>
        <translation>Arrêter la réponse</translation>
    </message>
    <message>
        <location filename="../menus.py" line="55"/>
        <source>Go to the message box</source>
        <translation>Aller à la zone de message</translation>
    </message>
    <message>
        <location filename="../menus.py" line="20"/>
        <source>Move between the conversations, the messages and their actions, and the message box</source>
        <translation>Passer des conversations aux messages et à leurs actions, puis à la zone de message</translation>
    </message>
    <message>
        <location filename="../menus.py" line="27"/>
        <source>&amp;File</source>
        <translation>&amp;Fichier</translation>
    </message>
    <message>
        <location filename="../menus.py" line="29"/>
        <source>Import conversation…</source>
        <translation>Importer une conversation…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="31"/>
        <source>Export conversation…</source>
        <translation>Exporter la conversation…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="37"/>
        <source>Quit</source>
        <translation>Quitter</translation>
    </message>
    <message>
        <location filename="../menus.py" line="40"/>
        <source>&amp;Models</source>
        <translation>&amp;Modèles</translation>
    </message>
    <message>
        <location filename="../menus.py" line="41"/>
        <source>Model Manager…</source>
        <translation>Gestionnaire de modèles…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="44"/>
        <source>Recommended for this computer…</source>
        <translation>Recommandés pour cet ordinateur…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="46"/>
        <source>Open GGUF file…</source>
        <translation>Ouvrir un fichier GGUF…</translation>
    </message>
    <message>
        <location filename="../menus.py" line="49"/>
        <source>&amp;View</source>
        <translation>&amp;Affichage</translation>
    </message>
    <message>
        <location filename="../menus.py" line="52"/>
        <source>Search messages</source>
        <translation>Rechercher dans les messages</translation>
    </message>
    <message>
        <location filename="../menus.py" line="58"/>
        <source>&amp;Help</source>
        <translation>Aid&amp;e</translation>
    </message>
    <message>
        <location filename="../menus.py" line="59"/>
        <location filename="../menus.py" line="80"/>
        <location filename="../menus.py" line="83"/>
        <source>Keyboard shortcuts</source>
        <translation>Raccourcis clavier</translation>
    </message>
    <message>
        <location filename="../menus.py" line="62"/>
        <source>About localchat</source>
        <translation>À propos de localchat</translation>
    </message>
    <message>
        <location filename="../menus.py" line="84"/>
        <source>Keys</source>
        <translation>Touches</translation>
    </message>
    <message>
        <location filename="../menus.py" line="84"/>
        <source>Does</source>
        <translation>Action</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <location filename="../chat/view.py" line="187"/>
        <source>Edit the message</source>
        <translation>Modifier le message</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="193"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="195"/>
        <source>Save &amp;&amp; send</source>
        <translation>Enregistrer et envoyer</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="208"/>
        <source>Previous version</source>
        <translation>Version précédente</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="211"/>
        <source>Next version</source>
        <translation>Version suivante</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="220"/>
        <source>Copy this message</source>
        <translation>Copier ce message</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="225"/>
        <source>Edit and send again (keeps the original as a branch)</source>
        <translation>Modifier et renvoyer (l’original reste une branche)</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="230"/>
        <source>Write another reply (keeps this one as a branch)</source>
        <translation>Écrire une autre réponse (celle-ci reste une branche)</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="260"/>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="262"/>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="263"/>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="400"/>
        <source>Thinking…</source>
        <translation>Réflexion…</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="402"/>
        <source>Thought</source>
        <translation>Réflexion</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="406"/>
        <source>Hide what the model thought</source>
        <translation>Masquer la réflexion du modèle</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="407"/>
        <source>Show what the model thought before answering</source>
        <translation>Afficher ce que le modèle a pensé avant de répondre</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="421"/>
        <source>Format check</source>
        <translation>Vérification du format</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../model_picker.py" line="16"/>
        <source>Open GGUF file…</source>
        <translation>Ouvrir un fichier GGUF…</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="49"/>
        <source>Pick a model</source>
        <translation>Choisir un modèle</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="50"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="60"/>
        <source>Loading the model</source>
        <translation>Chargement du modèle</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="91"/>
        <source>Open a GGUF model</source>
        <translation>Ouvrir un modèle GGUF</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="92"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modèles GGUF (*.gguf);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="119"/>
        <source>loading</source>
        <translation>chargement</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="119"/>
        <source>ready</source>
        <translation>prêt</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="120"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="120"/>
        <source>no model</source>
        <translation>aucun modèle</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../settings_dialog.py" line="31"/>
        <source>Auto (as many layers as fit)</source>
        <translation>Automatique (autant de couches que possible)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="32"/>
        <source>CPU only</source>
        <translation>Processeur seulement</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="33"/>
        <source>A number of layers</source>
        <translation>Un nombre de couches</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="34"/>
        <source>All layers</source>
        <translation>Toutes les couches</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="35"/>
        <source>As the system (follows it)</source>
        <translation>Comme le système (le suit)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="36"/>
        <source>Light</source>
        <translation>Clair</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="37"/>
        <source>Dark</source>
        <translation>Sombre</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="47"/>
        <source>Settings</source>
        <translation>Paramètres</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="57"/>
        <source>Theme</source>
        <translation>Thème</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="60"/>
        <source>The size of all text, messages and code included</source>
        <translation>La taille de tout le texte, messages et code compris</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="61"/>
        <source>Font size</source>
        <translation>Taille du texte</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="64"/>
        <source>As the system</source>
        <translation>Comme le système</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="68"/>
        <source>Shown from the next start of localchat</source>
        <translation>Appliquée au prochain démarrage de localchat</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="69"/>
        <source>Language</source>
        <translation>Langue</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="73"/>
        <source>Browse…</source>
        <translation>Parcourir…</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="78"/>
        <location filename="../settings_dialog.py" line="176"/>
        <source>Models folder</source>
        <translation>Dossier des modèles</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="81"/>
        <source>Automatic ({count})</source>
        <translation>Automatique ({count})</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="82"/>
        <source>CPU threads</source>
        <translation>Threads du processeur</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="91"/>
        <source>This build of llama.cpp cannot offload to a GPU (see the README for GPU builds); models run on the CPU.</source>
        <translation>Cette version de llama.cpp ne peut pas utiliser de GPU (voir le README pour les versions GPU) ; les modèles tournent sur le processeur.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="93"/>
        <source>GPU offload</source>
        <translation>Déchargement sur GPU</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="94"/>
        <source>GPU layers</source>
        <translation>Couches sur le GPU</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="97"/>
        <source>The model&apos;s default</source>
        <translation>Celle du modèle</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="98"/>
        <source>0: a catalog model&apos;s own context; any other model&apos;s training context, up to {count} tokens</source>
        <translation>0 : le contexte propre d’un modèle du catalogue ; pour tout autre modèle son contexte d’entraînement, jusqu’à {count} jetons</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="100"/>
        <source>Context length (tokens)</source>
        <translation>Longueur du contexte (jetons)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="105"/>
        <source>Remote backends…</source>
        <translation>Backends distants…</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="106"/>
        <source>Servers on other computers that speak OpenAI&apos;s API (Ollama, vLLM, llama-server, LM Studio, another localchat)</source>
        <translation>Serveurs sur d’autres ordinateurs qui parlent l’API d’OpenAI (Ollama, vLLM, llama-server, LM Studio, un autre localchat)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="109"/>
        <source>Other computers</source>
        <translation>Autres ordinateurs</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="119"/>
        <source>API server: let other apps use the model (OpenAI-compatible)</source>
        <translation>Serveur API : laisser d’autres applications utiliser le modèle (compatible OpenAI)</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="125"/>
        <source>127.0.0.1: only this computer can connect. 0.0.0.0 or this computer&apos;s address: other computers on the network too, with the API key.</source>
        <translation>127.0.0.1 : seul cet ordinateur peut se connecter. 0.0.0.0 ou l’adresse de cet ordinateur : les autres ordinateurs du réseau aussi, avec la clé API.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="127"/>
        <source>Host</source>
        <translation>Hôte</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="129"/>
        <source>Any free port</source>
        <translation>N’importe quel port libre</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="130"/>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="133"/>
        <source>None</source>
        <translation>Aucune</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="134"/>
        <source>API key</source>
        <translation>Clé API</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="136"/>
        <source>None: web pages cannot call the API</source>
        <translation>Aucune : les pages web ne peuvent pas appeler l’API</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="137"/>
        <source>Origins of web pages allowed to call the API, separated by spaces or commas, e.g. http://localhost:3000</source>
        <translation>Origines des pages web autorisées à appeler l’API, séparées par des espaces ou des virgules, par ex. http://localhost:3000</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="139"/>
        <source>CORS origins</source>
        <translation>Origines CORS</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="140"/>
        <source>Keep message contents in the request log</source>
        <translation>Garder le contenu des messages dans le journal des requêtes</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="142"/>
        <source>Off: the log keeps only each request&apos;s time, endpoint, status, tokens and duration</source>
        <translation>Désactivé : le journal ne garde que l’heure, le point d’accès, le statut, les jetons et la durée de chaque requête</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="160"/>
        <source>Serving on {host} lets other computers use this model: set an API key, or serve on {local}.</source>
        <translation>Servir sur {host} permet à d’autres ordinateurs d’utiliser ce modèle : définissez une clé API, ou servez sur {local}.</translation>
    </message>
    <message>
        <location filename="../settings_dialog.py" line="209"/>
        <source>Remote backends</source>
        <translation>Backends distants</translation>
    </message>
</context>
</TS>
