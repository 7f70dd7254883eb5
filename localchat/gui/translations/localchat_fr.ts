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
    <name>AlternativesPanel</name>
    <message>
        <location filename="../chat/token_view.py" line="249"/>
        <source>Alternatives of the token</source>
        <translation>Alternatives du jeton</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="254"/>
        <source>Token {n}: {text} · probability {p}</source>
        <translation>Jeton {n} : {text} · probabilité {p}</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="257"/>
        <source>the server gave no probability after its sampling settings and no entropy</source>
        <translation>le serveur n&apos;a donné ni la probabilité après ses réglages d&apos;échantillonnage ni l&apos;entropie</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="260"/>
        <source>chosen by you</source>
        <translation>choisi par vous</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="262"/>
        <source>{p} after the sampling settings</source>
        <translation>{p} après les réglages d&apos;échantillonnage</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="264"/>
        <source>entropy {nats} nats</source>
        <translation>entropie {nats} nats</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="275"/>
        <source>The token the reply has here</source>
        <translation>Le jeton que la réponse a ici</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="277"/>
        <source>Write another reply that keeps the text before this token and goes on from {text}</source>
        <translation>Écrire une autre réponse qui garde le texte avant ce jeton et continue à partir de {text}</translation>
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
        <translation>Annuler les requêtes API</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="94"/>
        <source>Cancel every API request running or waiting; the window&apos;s own reply goes on</source>
        <translation>Annule toutes les requêtes API en cours ou en attente ; la réponse de la fenêtre continue</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="98"/>
        <source>Request log</source>
        <translation>Journal des requêtes</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="99"/>
        <source>Every API request of this session: time, endpoint, status, tokens, duration</source>
        <translation>Toutes les requêtes API de cette session : heure, endpoint, statut, tokens, durée</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="154"/>
        <source>The API server could not start: {error}</source>
        <translation>Le serveur API n’a pas pu démarrer : {error}</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="155"/>
        <source>The log file has the details.</source>
        <translation>Le fichier journal contient les détails.</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="229"/>
        <source>API: {url}</source>
        <translation>API : {url}</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="231"/>
        <source>{count} API requests waiting</source>
        <translation>{count} requêtes API en attente</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="232"/>
        <source>{count} API request waiting</source>
        <translation>{count} requête API en attente</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="234"/>
        <source>API request running · {count} waiting</source>
        <translation>Requête API en cours · {count} en attente</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="236"/>
        <source>Serving the OpenAI-compatible API at {url}</source>
        <translation>API compatible OpenAI servie à l’adresse {url}</translation>
    </message>
</context>
<context>
    <name>AskAnotherModel</name>
    <message>
        <location filename="../chat/compare.py" line="122"/>
        <source>Wait for the reply being written to end first.</source>
        <translation>Attendez d&apos;abord la fin de la réponse en cours.</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="125"/>
        <source>Asking another model needs models on this computer; pick one in the Model list first.</source>
        <translation>Demander à un autre modèle nécessite des modèles sur cet ordinateur ; choisissez-en d&apos;abord un dans la liste des modèles.</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="130"/>
        <source>This message has no reply to compare with yet.</source>
        <translation>Ce message n&apos;a pas encore de réponse à comparer.</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="139"/>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="141"/>
        <source>Loading the model…</source>
        <translation>Chargement du modèle…</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="160"/>
        <location filename="../chat/compare.py" line="174"/>
        <source>Writing…</source>
        <translation>Écriture…</translation>
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
        <translation>Probabilités des tokens</translation>
    </message>
    <message>
        <location filename="../backends.py" line="32"/>
        <source>Structured output (JSON schema)</source>
        <translation>Sortie structurée (schéma JSON)</translation>
    </message>
    <message>
        <location filename="../backends.py" line="33"/>
        <source>Structured output (GBNF grammar)</source>
        <translation>Sortie structurée (grammaire GBNF)</translation>
    </message>
    <message>
        <location filename="../backends.py" line="34"/>
        <source>Documents (embeddings)</source>
        <translation>Documents (embeddings)</translation>
    </message>
    <message>
        <location filename="../backends.py" line="41"/>
        <source>none</source>
        <translation>aucun</translation>
    </message>
    <message>
        <location filename="../backends.py" line="42"/>
        <source>Models: {models}</source>
        <translation>Modèles : {models}</translation>
    </message>
    <message>
        <location filename="../backends.py" line="47"/>
        <source>not offered</source>
        <translation>non proposé</translation>
    </message>
    <message>
        <location filename="../backends.py" line="63"/>
        <source>Remote backends</source>
        <translation>Backends distants</translation>
    </message>
    <message>
        <location filename="../backends.py" line="65"/>
        <source>e.g. gpu-box</source>
        <translation>ex. gpu-box</translation>
    </message>
    <message>
        <location filename="../backends.py" line="70"/>
        <source>None (the server needs no key)</source>
        <translation>Aucune (le serveur ne demande pas de clé)</translation>
    </message>
    <message>
        <location filename="../backends.py" line="72"/>
        <source>All models</source>
        <translation>Tous les modèles</translation>
    </message>
    <message>
        <location filename="../backends.py" line="73"/>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <location filename="../backends.py" line="74"/>
        <source>Test connection</source>
        <translation>Tester la connexion</translation>
    </message>
    <message>
        <location filename="../backends.py" line="75"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../backends.py" line="79"/>
        <source>What the backend can do</source>
        <translation>Ce que le backend sait faire</translation>
    </message>
    <message>
        <location filename="../backends.py" line="81"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../backends.py" line="82"/>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <location filename="../backends.py" line="83"/>
        <source>API key</source>
        <translation>Clé API</translation>
    </message>
    <message>
        <location filename="../backends.py" line="84"/>
        <source>Only models containing</source>
        <translation>Seulement les modèles contenant</translation>
    </message>
    <message>
        <location filename="../backends.py" line="90"/>
        <source>Servers that speak OpenAI&apos;s API (Ollama, vLLM, llama-server, LM Studio, another localchat), beside this computer&apos;s models.</source>
        <translation>Serveurs qui parlent l’API d’OpenAI (Ollama, vLLM, llama-server, LM Studio, un autre localchat), à côté des modèles de cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../backends.py" line="106"/>
        <source> · key kept</source>
        <translation> · clé enregistrée</translation>
    </message>
    <message>
        <location filename="../backends.py" line="148"/>
        <location filename="../backends.py" line="175"/>
        <source>Asking {0}…</source>
        <translation>Interrogation de {0}…</translation>
    </message>
    <message>
        <location filename="../backends.py" line="161"/>
        <source>Added {0}.</source>
        <translation>{0} ajouté.</translation>
    </message>
    <message>
        <location filename="../backends.py" line="187"/>
        <source>Removed {0}.</source>
        <translation>{0} supprimé.</translation>
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
    <name>CatalogRefresher</name>
    <message>
        <location filename="../catalog_status.py" line="157"/>
        <source>The catalog check failed unexpectedly: {error}.</source>
        <translation>La vérification du catalogue a échoué de façon inattendue : {error}.</translation>
    </message>
</context>
<context>
    <name>CatalogRow</name>
    <message>
        <location filename="../model_cards.py" line="54"/>
        <source>{params} parameters</source>
        <translation>{params} paramètres</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="56"/>
        <source>{size} download</source>
        <translation>{size} à télécharger</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="58"/>
        <source>needs {size} at {context} tokens</source>
        <translation>nécessite {size} pour {context} tokens</translation>
    </message>
</context>
<context>
    <name>CatalogStatus</name>
    <message>
        <location filename="../catalog_status.py" line="69"/>
        <source>Check for new models</source>
        <translation>Rechercher de nouveaux modèles</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="94"/>
        <source>Catalog of {date}, downloaded</source>
        <translation>Catalogue du {date}, téléchargé</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="96"/>
        <source>Catalog of {date}, shipped with localchat</source>
        <translation>Catalogue du {date}, fourni avec localchat</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="100"/>
        <source>{count} new model</source>
        <translation>{count} nouveau modèle</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="100"/>
        <source>{count} new models</source>
        <translation>{count} nouveaux modèles</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="104"/>
        <source>The last catalog download was refused: {reason}</source>
        <translation>Le dernier téléchargement du catalogue a été refusé : {reason}</translation>
    </message>
    <message>
        <location filename="../catalog_status.py" line="114"/>
        <source>Could not check for a newer catalog: {reason}</source>
        <translation>Impossible de rechercher un catalogue plus récent : {reason}</translation>
    </message>
</context>
<context>
    <name>CatalogTab</name>
    <message>
        <location filename="../model_cards.py" line="103"/>
        <source>All models</source>
        <translation>Tous les modèles</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="104"/>
        <source>Fits this computer</source>
        <translation>Adaptés à cet ordinateur</translation>
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
        <translation>Qualité</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="109"/>
        <source>Speed</source>
        <translation>Vitesse</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="111"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="172"/>
        <source>Loading the catalog…</source>
        <translation>Chargement du catalogue…</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="184"/>
        <source>Show</source>
        <translation>Afficher</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="186"/>
        <source>Sort by</source>
        <translation>Trier par</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="203"/>
        <source>Nothing in the catalog fits this computer well; see the Catalog tab.</source>
        <translation>Aucun modèle du catalogue ne convient bien à cet ordinateur ; voir l&apos;onglet Catalogue.</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="205"/>
        <source>The models localchat suggests for this computer.</source>
        <translation>Les modèles que localchat suggère pour cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="206"/>
        <source>Every model in localchat&apos;s catalog.</source>
        <translation>Tous les modèles du catalogue de localchat.</translation>
    </message>
</context>
<context>
    <name>ChatController</name>
    <message>
        <location filename="../chat/controller.py" line="52"/>
        <source>interrupted</source>
        <translation>interrompue</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="142"/>
        <source>The model is still loading.
Your message can be sent as soon as it is ready.</source>
        <translation>Le modèle est encore en cours de chargement.
Votre message pourra être envoyé dès qu’il sera prêt.</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="144"/>
        <source>No model is loaded.
Pick one in the Model list at the top, or download one with Models ▸ Model Manager… (Ctrl+M).</source>
        <translation>Aucun modèle n’est chargé.
Choisissez-en un dans la liste des modèles en haut, ou téléchargez-en un avec Modèles ▸ Gestionnaire de modèles… (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="172"/>
        <location filename="../chat/controller.py" line="194"/>
        <source>Stop the current reply before opening another conversation.</source>
        <translation>Arrêtez la réponse en cours avant d’ouvrir une autre conversation.</translation>
    </message>
    <message>
        <location filename="../chat/controller.py" line="251"/>
        <source>Branching from a token needs the model on this computer.</source>
        <translation>Créer une branche à partir d&apos;un jeton nécessite le modèle sur cet ordinateur.</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <location filename="../chat/view.py" line="26"/>
        <source>Explain how a rainbow forms, in three sentences</source>
        <translation>Explique en trois phrases comment se forme un arc-en-ciel</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="27"/>
        <source>Write a Python function that tells whether a word is a palindrome</source>
        <translation>Écris une fonction Python qui dit si un mot est un palindrome</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="28"/>
        <source>Suggest five names for a café in an old lighthouse</source>
        <translation>Propose cinq noms pour un café dans un vieux phare</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="113"/>
        <source>Conversation</source>
        <translation>Conversation</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="130"/>
        <source>Show earlier messages</source>
        <translation>Afficher les messages précédents</translation>
    </message>
</context>
<context>
    <name>Column</name>
    <message>
        <location filename="../chat/compare.py" line="53"/>
        <source>The reply of {model}</source>
        <translation>La réponse de {model}</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <location filename="../chat/compare.py" line="64"/>
        <source>Two models, one question</source>
        <translation>Deux modèles, une question</translation>
    </message>
    <message>
        <location filename="../chat/compare.py" line="68"/>
        <source>You asked: {question}</source>
        <translation>Vous avez demandé : {question}</translation>
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
        <location filename="../chat/composer.py" line="120"/>
        <source>Stop</source>
        <translation>Arrêter</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="120"/>
        <source>Stop the reply (Esc)</source>
        <translation>Arrêter la réponse (Échap)</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="122"/>
        <source>Send</source>
        <translation>Envoyer</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="122"/>
        <source>Send (Enter)</source>
        <translation>Envoyer (Entrée)</translation>
    </message>
    <message>
        <location filename="../chat/composer.py" line="148"/>
        <source>{used} / {size} tokens</source>
        <translation>{used} / {size} jetons</translation>
    </message>
</context>
<context>
    <name>ConversationDocuments</name>
    <message>
        <location filename="../chat/retrieval.py" line="137"/>
        <source>The documents could not be searched: {error}</source>
        <translation>Impossible de chercher dans les documents : {error}</translation>
    </message>
</context>
<context>
    <name>ConversationSettings</name>
    <message>
        <location filename="../conversation_settings.py" line="25"/>
        <source>Free text</source>
        <translation>Texte libre</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="27"/>
        <source>JSON schema</source>
        <translation>Schéma JSON</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="28"/>
        <source>Grammar (GBNF)</source>
        <translation>Grammaire (GBNF)</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="33"/>
        <source>A list of strings</source>
        <translation>Une liste de chaînes</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="35"/>
        <source>An object with typed fields</source>
        <translation>Un objet aux champs typés</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="40"/>
        <source>An enum choice</source>
        <translation>Un choix parmi des valeurs (enum)</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="43"/>
        <source>Yes or no (grammar)</source>
        <translation>Oui ou non (grammaire)</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="68"/>
        <source>Optional instructions for the assistant</source>
        <translation>Instructions facultatives pour l’assistant</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="70"/>
        <source>System prompt</source>
        <translation>Prompt système</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="83"/>
        <source>Random</source>
        <translation>Aléatoire</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="84"/>
        <source>Temperature</source>
        <translation>Température</translation>
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
        <translation>Pénalité de répétition</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="87"/>
        <source>Max reply tokens</source>
        <translation>Tokens max. par réponse</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="87"/>
        <source>Seed</source>
        <translation>Graine (seed)</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="92"/>
        <source>Reset to the model&apos;s defaults</source>
        <translation>Rétablir les valeurs par défaut du modèle</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="115"/>
        <source>Hold replies to a shape: the model can only write what it allows</source>
        <translation>Contraint les réponses à une forme : le modèle ne peut écrire que ce qu’elle permet</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="116"/>
        <source>Response format</source>
        <translation>Format de réponse</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="118"/>
        <source>Examples…</source>
        <translation>Exemples…</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="129"/>
        <source>Describe it to the model in the system prompt</source>
        <translation>Le décrire au modèle dans le prompt système</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="130"/>
        <source>Small models follow a schema better when they also read it</source>
        <translation>Les petits modèles suivent mieux un schéma quand ils peuvent aussi le lire</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="164"/>
        <source>…and {count} more</source>
        <translation>…et {count} de plus</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="168"/>
        <source>The grammar can be used.</source>
        <translation>La grammaire est utilisable.</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="169"/>
        <source>The schema can be used.</source>
        <translation>Le schéma est utilisable.</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="201"/>
        <source>Temperature {temperature}, top-p {top_p}, top-k {top_k}, min-p {min_p}, repeat penalty {repeat_penalty}, {max_tokens} reply tokens</source>
        <translation>Température {temperature}, top-p {top_p}, top-k {top_k}, min-p {min_p}, pénalité de répétition {repeat_penalty}, {max_tokens} tokens par réponse</translation>
    </message>
    <message>
        <location filename="../conversation_settings.py" line="206"/>
        <source>: as recommended by {source}</source>
        <translation> : comme recommandé par {source}</translation>
    </message>
</context>
<context>
    <name>ConversationSidebar</name>
    <message>
        <location filename="../sidebar.py" line="66"/>
        <source>Markdown, the branch shown (*.md)</source>
        <translation>Markdown, la branche affichée (*.md)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="67"/>
        <source>Web page, the branch shown (*.html)</source>
        <translation>Page web, la branche affichée (*.html)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="68"/>
        <source>JSON, every branch, can be imported (*.json)</source>
        <translation>JSON, toutes les branches, importable (*.json)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="98"/>
        <location filename="../sidebar_rows.py" line="99"/>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="112"/>
        <location filename="../sidebar.py" line="141"/>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="123"/>
        <source>Import…</source>
        <translation>Importer…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="124"/>
        <source>Import a conversation: add one from a JSON file that localchat exported</source>
        <translation>Importer une conversation : en ajouter une depuis un fichier JSON exporté par localchat</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="131"/>
        <source>Search messages (Ctrl+F)</source>
        <translation>Rechercher dans les messages (Ctrl+F)</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="132"/>
        <source>Search messages</source>
        <translation>Rechercher dans les messages</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="157"/>
        <location filename="../sidebar.py" line="449"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="164"/>
        <source>Messages found</source>
        <translation>Messages trouvés</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="182"/>
        <source>Undo</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="266"/>
        <source>No conversations yet</source>
        <translation>Aucune conversation pour l’instant</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="351"/>
        <source>Deleted “{title}”</source>
        <translation>« {title} » supprimée</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="412"/>
        <source>No messages match</source>
        <translation>Aucun message ne correspond</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="446"/>
        <source>Rename</source>
        <translation>Renommer</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="447"/>
        <source>Export…</source>
        <translation>Exporter…</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="459"/>
        <source>Export conversation</source>
        <translation>Exporter la conversation</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="473"/>
        <source>Import conversation</source>
        <translation>Importer une conversation</translation>
    </message>
    <message>
        <location filename="../sidebar.py" line="474"/>
        <source>localchat conversation (*.json)</source>
        <translation>conversation localchat (*.json)</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="67"/>
        <source>Today</source>
        <translation>Aujourd’hui</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="68"/>
        <source>Yesterday</source>
        <translation>Hier</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="69"/>
        <source>Previous 7 days</source>
        <translation>7 derniers jours</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="70"/>
        <source>Previous 30 days</source>
        <translation>30 derniers jours</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="96"/>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <location filename="../sidebar_rows.py" line="98"/>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
</context>
<context>
    <name>DocumentsChip</name>
    <message>
        <location filename="../chat/documents_chip.py" line="26"/>
        <source>Documents for this conversation</source>
        <translation>Documents pour cette conversation</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="72"/>
        <source>Manage collections…</source>
        <translation>Gérer les collections…</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="83"/>
        <source>Searching the documents…</source>
        <translation>Recherche dans les documents…</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="85"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="89"/>
        <source>Documents: {names}</source>
        <translation>Documents : {names}</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="91"/>
        <source>Answer from these collections of documents, citing them</source>
        <translation>Répondre à partir de ces collections de documents, en les citant</translation>
    </message>
    <message>
        <location filename="../chat/documents_chip.py" line="92"/>
        <source>Choose collections of documents to answer from</source>
        <translation>Choisir les collections de documents pour répondre</translation>
    </message>
</context>
<context>
    <name>DocumentsPanel</name>
    <message>
        <location filename="../documents.py" line="59"/>
        <source> · about {seconds} s left</source>
        <translation> · environ {seconds} s restantes</translation>
    </message>
    <message>
        <location filename="../documents.py" line="61"/>
        <source> · about {minutes} min left</source>
        <translation> · environ {minutes} min restantes</translation>
    </message>
    <message>
        <location filename="../documents.py" line="119"/>
        <source>Collections</source>
        <translation>Collections</translation>
    </message>
    <message>
        <location filename="../documents.py" line="122"/>
        <location filename="../documents.py" line="336"/>
        <source>No collections yet: add a folder to chat with its documents.</source>
        <translation>Aucune collection pour l’instant : ajoutez un dossier pour discuter avec ses documents.</translation>
    </message>
    <message>
        <location filename="../documents.py" line="124"/>
        <source>New collection…</source>
        <translation>Nouvelle collection…</translation>
    </message>
    <message>
        <location filename="../documents.py" line="125"/>
        <source>Add folder…</source>
        <translation>Ajouter un dossier…</translation>
    </message>
    <message>
        <location filename="../documents.py" line="126"/>
        <source>Add files…</source>
        <translation>Ajouter des fichiers…</translation>
    </message>
    <message>
        <location filename="../documents.py" line="127"/>
        <source>Index now</source>
        <translation>Indexer maintenant</translation>
    </message>
    <message>
        <location filename="../documents.py" line="128"/>
        <location filename="../documents.py" line="378"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../documents.py" line="129"/>
        <source>Remove</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../documents.py" line="139"/>
        <source>Files of the collection</source>
        <translation>Fichiers de la collection</translation>
    </message>
    <message>
        <location filename="../documents.py" line="192"/>
        <source>{files} files · {chunks} passages</source>
        <translation>{files} fichiers · {chunks} passages</translation>
    </message>
    <message>
        <location filename="../documents.py" line="196"/>
        <source> · {count} to index</source>
        <translation> · {count} à indexer</translation>
    </message>
    <message>
        <location filename="../documents.py" line="197"/>
        <source> · paused</source>
        <translation> · en pause</translation>
    </message>
    <message>
        <location filename="../documents.py" line="203"/>
        <source>Tick to use this collection in the conversation</source>
        <translation>Cochez pour utiliser cette collection dans la conversation</translation>
    </message>
    <message>
        <location filename="../documents.py" line="294"/>
        <source>New collection</source>
        <translation>Nouvelle collection</translation>
    </message>
    <message>
        <location filename="../documents.py" line="294"/>
        <source>Name of the collection:</source>
        <translation>Nom de la collection :</translation>
    </message>
    <message>
        <location filename="../documents.py" line="296"/>
        <source>Folder of documents</source>
        <translation>Dossier de documents</translation>
    </message>
    <message>
        <location filename="../documents.py" line="305"/>
        <source>Add a folder to {name}</source>
        <translation>Ajouter un dossier à {name}</translation>
    </message>
    <message>
        <location filename="../documents.py" line="313"/>
        <source>Add files to {name}</source>
        <translation>Ajouter des fichiers à {name}</translation>
    </message>
    <message>
        <location filename="../documents.py" line="348"/>
        <source>Unexpected error: {error}</source>
        <translation>Erreur inattendue : {error}</translation>
    </message>
    <message>
        <location filename="../documents.py" line="353"/>
        <source>Indexing {name}: {done}/{total} files · {chunks} passages</source>
        <translation>Indexation de {name} : {done}/{total} fichiers · {chunks} passages</translation>
    </message>
    <message>
        <location filename="../documents.py" line="362"/>
        <source>Indexing {name} stopped: {reason}</source>
        <translation>Indexation de {name} interrompue : {reason}</translation>
    </message>
    <message>
        <location filename="../documents.py" line="378"/>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
</context>
<context>
    <name>DownloadControls</name>
    <message>
        <location filename="../download_worker.py" line="131"/>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="132"/>
        <source>Pause</source>
        <translation>Pause</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="133"/>
        <location filename="../download_worker.py" line="229"/>
        <source>Resume</source>
        <translation>Reprendre</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="134"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="135"/>
        <source>Load</source>
        <translation>Charger</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="136"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="229"/>
        <source>Retry</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="239"/>
        <location filename="../download_worker.py" line="247"/>
        <source>Installed</source>
        <translation>Installé</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="242"/>
        <source>Waiting (two downloads at a time)</source>
        <translation>En attente (deux téléchargements à la fois)</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="245"/>
        <source>Verifying…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="249"/>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="250"/>
        <source>{size} kept</source>
        <translation>{size} conservés</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="251"/>
        <source>nothing downloaded yet</source>
        <translation>rien de téléchargé pour l&apos;instant</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="253"/>
        <source>Paused ({kept})</source>
        <translation>En pause ({kept})</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="254"/>
        <source>Cancelled ({kept})</source>
        <translation>Annulé ({kept})</translation>
    </message>
</context>
<context>
    <name>DownloadIndicator</name>
    <message>
        <location filename="../download_worker.py" line="275"/>
        <source>Downloads: click to open the Model Manager</source>
        <translation>Téléchargements : cliquez pour ouvrir le Gestionnaire de modèles</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="284"/>
        <source>{count} download</source>
        <translation>{count} téléchargement</translation>
    </message>
    <message>
        <location filename="../download_worker.py" line="284"/>
        <source>{count} downloads</source>
        <translation>{count} téléchargements</translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message>
        <location filename="../model_manager.py" line="175"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="177"/>
        <source>Clear finished</source>
        <translation>Effacer les terminés</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="180"/>
        <source>Downloads</source>
        <translation>Téléchargements</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="203"/>
        <source>Discard</source>
        <translation>Abandonner</translation>
    </message>
</context>
<context>
    <name>EmptyState</name>
    <message>
        <location filename="../chat/view.py" line="64"/>
        <source>Use the small demo model now</source>
        <translation>Utiliser tout de suite le petit modèle de démonstration</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="67"/>
        <source>Choose a model for this computer…</source>
        <translation>Choisir un modèle pour cet ordinateur…</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="82"/>
        <source>Ask anything — it runs on your computer</source>
        <translation>Demandez ce que vous voulez : tout tourne sur votre ordinateur</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="83"/>
        <source>Nothing you write leaves this machine. Try one of these:</source>
        <translation>Rien de ce que vous écrivez ne quitte cette machine. Essayez l’un de ceux-ci :</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="85"/>
        <source>No model yet</source>
        <translation>Pas encore de modèle</translation>
    </message>
    <message>
        <location filename="../chat/view.py" line="86"/>
        <source>A model is the file that writes the replies. Pick one that suits this computer, or try the small demo model at once.</source>
        <translation>Un modèle est le fichier qui écrit les réponses. Choisissez-en un qui convient à cet ordinateur, ou essayez tout de suite le petit modèle de démonstration.</translation>
    </message>
</context>
<context>
    <name>FilesModel</name>
    <message>
        <location filename="../documents.py" line="68"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../documents.py" line="68"/>
        <source>Passages</source>
        <translation>Passages</translation>
    </message>
    <message>
        <location filename="../documents.py" line="69"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../documents.py" line="69"/>
        <source>Why</source>
        <translation>Raison</translation>
    </message>
</context>
<context>
    <name>HubSearchTab</name>
    <message>
        <location filename="../hub_search.py" line="42"/>
        <source>Most downloaded</source>
        <translation>Les plus téléchargés</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="43"/>
        <source>Most liked</source>
        <translation>Les plus aimés</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="62"/>
        <location filename="../hub_search.py" line="199"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="101"/>
        <source>Search GGUF models on Hugging Face, e.g. llama 8b instruct</source>
        <translation>Rechercher des modèles GGUF sur Hugging Face, p. ex. llama 8b instruct</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="107"/>
        <source>Search</source>
        <translation>Rechercher</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="114"/>
        <source>Repository</source>
        <translation>Dépôt</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="114"/>
        <source>Downloads</source>
        <translation>Téléchargements</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="114"/>
        <source>Likes</source>
        <translation>J&apos;aime</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="115"/>
        <source>Access</source>
        <translation>Accès</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="118"/>
        <source>File</source>
        <translation>Fichier</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="118"/>
        <source>Quantization</source>
        <translation>Quantification</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="118"/>
        <source>Size</source>
        <translation>Taille</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="119"/>
        <source>Fit</source>
        <translation>Compatibilité</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="119"/>
        <source>Speed here</source>
        <translation>Vitesse ici</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="137"/>
        <source>Searching…</source>
        <translation>Recherche en cours…</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="150"/>
        <source>gated: needs a token</source>
        <translation>restreint : nécessite un jeton</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="151"/>
        <source>open</source>
        <translation>libre</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="154"/>
        <source>No GGUF models match; try fewer words.</source>
        <translation>Aucun modèle GGUF ne correspond ; essayez avec moins de mots.</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="174"/>
        <source>Listing the files of {repo}…</source>
        <translation>Liste des fichiers de {repo}…</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="193"/>
        <source> (+{count} part)</source>
        <translation> (+{count} partie)</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="193"/>
        <source> (+{count} parts)</source>
        <translation> (+{count} parties)</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="198"/>
        <source>checking…</source>
        <translation>vérification…</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="206"/>
        <source>{repo} has no GGUF files.</source>
        <translation>{repo} ne contient aucun fichier GGUF.</translation>
    </message>
    <message>
        <location filename="../hub_search.py" line="223"/>
        <source>The file&apos;s header could not be read: {error}</source>
        <translation>Impossible de lire l&apos;en-tête du fichier : {error}</translation>
    </message>
</context>
<context>
    <name>InstalledTab</name>
    <message>
        <location filename="../model_manager.py" line="56"/>
        <source>Name</source>
        <translation>Nom</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="56"/>
        <source>Size on disk</source>
        <translation>Taille sur le disque</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="56"/>
        <source>Source</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="56"/>
        <source>Last used</source>
        <translation>Dernière utilisation</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="57"/>
        <source>Drop .gguf files here to add them.</source>
        <translation>Déposez des fichiers .gguf ici pour les ajouter.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="61"/>
        <source>Add local file…</source>
        <translation>Ajouter un fichier local…</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="62"/>
        <source>Verify</source>
        <translation>Vérifier</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="63"/>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="63"/>
        <source>Open folder</source>
        <translation>Ouvrir le dossier</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="91"/>
        <source>never</source>
        <translation>jamais</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="108"/>
        <source>Add GGUF model files</source>
        <translation>Ajouter des fichiers de modèles GGUF</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="109"/>
        <source>GGUF models (*.gguf)</source>
        <translation>Modèles GGUF (*.gguf)</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="114"/>
        <source>Adding {name}…</source>
        <translation>Ajout de {name}…</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="116"/>
        <source>Added {name}.</source>
        <translation>{name} ajouté.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="132"/>
        <source>Select a model to verify.</source>
        <translation>Sélectionnez un modèle à vérifier.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="133"/>
        <source>Verifying {name}…</source>
        <translation>Vérification de {name}…</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="135"/>
        <source>{name} is intact.
{details}</source>
        <translation>{name} est intact.
{details}</translation>
    </message>
</context>
<context>
    <name>Legend</name>
    <message>
        <location filename="../chat/token_view.py" line="87"/>
        <source>Token probability:</source>
        <translation>Probabilité du jeton :</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="96"/>
        <source>underlined: chosen by you</source>
        <translation>souligné : choisi par vous</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="100"/>
        <source>Legend of the token colours</source>
        <translation>Légende des couleurs des jetons</translation>
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
        <location filename="../main_window.py" line="327"/>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="238"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="244"/>
        <source>Conversations</source>
        <translation>Conversations</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="247"/>
        <source>Show or hide the conversations (Ctrl+B)</source>
        <translation>Afficher ou masquer les conversations (Ctrl+B)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="249"/>
        <source>New chat</source>
        <translation>Nouvelle discussion</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="252"/>
        <source>New chat (Ctrl+N)</source>
        <translation>Nouvelle discussion (Ctrl+N)</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="260"/>
        <source>Settings…</source>
        <translation>Paramètres…</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="277"/>
        <source>Copied</source>
        <translation>Copié</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="311"/>
        <source>Conversation settings</source>
        <translation>Paramètres de la conversation</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="318"/>
        <source>Conversation settings: system prompt and sampling</source>
        <translation>Paramètres de la conversation : prompt système et échantillonnage</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="339"/>
        <source>Load a model first</source>
        <translation>Chargez d’abord un modèle</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="453"/>
        <source>The message cannot be sent now.</source>
        <translation>Le message ne peut pas être envoyé maintenant.</translation>
    </message>
    <message>
        <location filename="../main_window.py" line="470"/>
        <source>Generating…</source>
        <translation>Génération…</translation>
    </message>
</context>
<context>
    <name>MarkdownLabel</name>
    <message>
        <location filename="../chat/bubble.py" line="77"/>
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
        <location filename="../window_documents.py" line="67"/>
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
        <location filename="../chat/bubble.py" line="190"/>
        <source>Edit the message</source>
        <translation>Modifier le message</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="196"/>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="198"/>
        <source>Save &amp;&amp; send</source>
        <translation>Enregistrer et envoyer</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="211"/>
        <source>Previous version</source>
        <translation>Version précédente</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="214"/>
        <source>Next version</source>
        <translation>Version suivante</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="223"/>
        <source>Copy this message</source>
        <translation>Copier ce message</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="228"/>
        <source>Edit and send again (keeps the original as a branch)</source>
        <translation>Modifier et renvoyer (l’original reste une branche)</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="233"/>
        <source>Write another reply (keeps this one as a branch)</source>
        <translation>Écrire une autre réponse (celle-ci reste une branche)</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="263"/>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="265"/>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="266"/>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="404"/>
        <source>Thinking…</source>
        <translation>Réflexion…</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="406"/>
        <source>Thought</source>
        <translation>Réflexion</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="410"/>
        <source>Hide what the model thought</source>
        <translation>Masquer la réflexion du modèle</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="411"/>
        <source>Show what the model thought before answering</source>
        <translation>Afficher ce que le modèle a pensé avant de répondre</translation>
    </message>
    <message>
        <location filename="../chat/bubble.py" line="425"/>
        <source>Format check</source>
        <translation>Vérification du format</translation>
    </message>
</context>
<context>
    <name>ModelCard</name>
    <message>
        <location filename="../model_cards.py" line="130"/>
        <source>unknown</source>
        <translation>inconnu</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="145"/>
        <source>New</source>
        <translation>Nouveau</translation>
    </message>
    <message>
        <location filename="../model_cards.py" line="147"/>
        <source>Added to the catalog since you last looked</source>
        <translation>Ajouté au catalogue depuis votre dernière visite</translation>
    </message>
</context>
<context>
    <name>ModelController</name>
    <message>
        <location filename="../model_controller.py" line="55"/>
        <location filename="../model_controller.py" line="296"/>
        <location filename="../model_controller.py" line="318"/>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="97"/>
        <source>Could not read the models folder: {reason}</source>
        <translation>Impossible de lire le dossier des modèles : {reason}</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="116"/>
        <source>{name} is not a GGUF model file: only .gguf files can be added. Download GGUF models from the Model Manager (Ctrl+M).</source>
        <translation>{name} n’est pas un fichier de modèle GGUF : seuls les fichiers .gguf peuvent être ajoutés. Téléchargez des modèles GGUF depuis le Gestionnaire de modèles (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="124"/>
        <source>Adding {name} to the models folder…</source>
        <translation>Ajout de {name} au dossier des modèles…</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="126"/>
        <source>Could not add {name}: {reason}</source>
        <translation>Impossible d’ajouter {name} : {reason}</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="156"/>
        <source>The demo model is not installed with this copy of localchat. Choose a model in the Model Manager (Ctrl+M).</source>
        <translation>Le modèle de démonstration n’est pas installé avec cette copie de localchat. Choisissez un modèle dans le Gestionnaire de modèles (Ctrl+M).</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="207"/>
        <source>Stop the current reply before switching models.</source>
        <translation>Arrêtez la réponse en cours avant de changer de modèle.</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="224"/>
        <source>The model is loading</source>
        <translation>Le modèle est en cours de chargement</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="232"/>
        <source>Loading {name}…</source>
        <translation>Chargement de {name}…</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="236"/>
        <source>Loading {name} for an API request…</source>
        <translation>Chargement de {name} pour une requête API…</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="254"/>
        <source>{name} · {device} · {threads} threads · context {context} · loaded in {seconds} s</source>
        <translation>{name} · {device} · {threads} threads · contexte {context} · chargé en {seconds} s</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="257"/>
        <source> · loaded for an API request</source>
        <translation> · chargé pour une requête API</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="264"/>
        <source>{name} is a base model: it continues text rather than follows instructions, so its replies may wander. Pick an instruction-tuned (chat) model for an assistant.</source>
        <translation>{name} est un modèle de base : il prolonge le texte au lieu de suivre des instructions, ses réponses peuvent donc divaguer. Pour un assistant, choisissez un modèle entraîné aux instructions (chat).</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="297"/>
        <source>Could not load {name}: {reason}</source>
        <translation>Impossible de charger {name} : {reason}</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="299"/>
        <location filename="../model_controller.py" line="321"/>
        <location filename="../model_controller.py" line="332"/>
        <source>Load a model first</source>
        <translation>Chargez d’abord un modèle</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="314"/>
        <source>An API request asked for {name}, which could not load: {reason} The model loaded before stays.</source>
        <translation>Une requête API a demandé {name}, qui n’a pas pu être chargé : {reason} Le modèle chargé avant reste.</translation>
    </message>
    <message>
        <location filename="../model_controller.py" line="319"/>
        <source>An API request asked for {name}, which could not load: {reason}</source>
        <translation>Une requête API a demandé {name}, qui n’a pas pu être chargé : {reason}</translation>
    </message>
</context>
<context>
    <name>ModelManager</name>
    <message>
        <location filename="../model_manager.py" line="151"/>
        <location filename="../model_manager.py" line="164"/>
        <source>Delete model</source>
        <translation>Supprimer le modèle</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="152"/>
        <source>Delete {name} ({size})?
Its file is removed from the disk.</source>
        <translation>Supprimer {name} ({size}) ?
Son fichier sera effacé du disque.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="233"/>
        <source>Model Manager</source>
        <translation>Gestionnaire de modèles</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="251"/>
        <source>Recommended</source>
        <translation>Recommandés</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="251"/>
        <source>Catalog</source>
        <translation>Catalogue</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="252"/>
        <source>Search Hugging Face</source>
        <translation>Rechercher sur Hugging Face</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="252"/>
        <source>Installed</source>
        <translation>Installés</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="258"/>
        <source>Hugging Face token…</source>
        <translation>Jeton Hugging Face…</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="259"/>
        <source>For gated models (Llama, Gemma, …): a read token from huggingface.co/settings/tokens</source>
        <translation>Pour les modèles à accès restreint (Llama, Gemma, …) : un jeton de lecture de huggingface.co/settings/tokens</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="265"/>
        <source>Prefer quality: a larger model at ~4 tokens/s is fine. Prefer speed: ~16 tokens/s or more. Balanced: ~8.</source>
        <translation>Privilégier la qualité : un modèle plus grand à ~4 tokens/s convient. Privilégier la vitesse : ~16 tokens/s ou plus. Équilibré : ~8.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="272"/>
        <source>Recommend</source>
        <translation>Recommander</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="301"/>
        <source>The model catalog is not available.</source>
        <translation>Le catalogue des modèles n&apos;est pas disponible.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="321"/>
        <source>This computer: {summary}</source>
        <translation>Cet ordinateur : {summary}</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="322"/>
        <source>This computer: {summary} · speeds estimated until it is measured</source>
        <translation>Cet ordinateur : {summary} · vitesses estimées jusqu&apos;à sa mesure</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="403"/>
        <source>Gated models need a read token from huggingface.co/settings/tokens,
after you accepted the model&apos;s terms on its page. It is kept where `hf auth login`
keeps it, so the hf command uses it too. Leave empty to forget it.</source>
        <translation>Les modèles à accès restreint demandent un jeton de lecture de huggingface.co/settings/tokens,
après avoir accepté les conditions du modèle sur sa page. Il est conservé là où `hf auth login`
le conserve, la commande hf l&apos;utilise donc aussi. Laissez vide pour l&apos;oublier.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="407"/>
        <source>HF_TOKEN is set in the environment: it is used instead while it is set.</source>
        <translation>HF_TOKEN est défini dans l&apos;environnement : il est utilisé à la place tant qu&apos;il l&apos;est.</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="408"/>
        <location filename="../model_manager.py" line="419"/>
        <source>Hugging Face token</source>
        <translation>Jeton Hugging Face</translation>
    </message>
    <message>
        <location filename="../model_manager.py" line="420"/>
        <source>The token could not be saved: {error}</source>
        <translation>Le jeton n&apos;a pas pu être enregistré : {error}</translation>
    </message>
</context>
<context>
    <name>ModelPicker</name>
    <message>
        <location filename="../model_picker.py" line="18"/>
        <source>Open GGUF file…</source>
        <translation>Ouvrir un fichier GGUF…</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="81"/>
        <source>Pick a model</source>
        <translation>Choisir un modèle</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="82"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="93"/>
        <source>Loading the model</source>
        <translation>Chargement du modèle</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="134"/>
        <source>Open a GGUF model</source>
        <translation>Ouvrir un modèle GGUF</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="135"/>
        <source>GGUF models (*.gguf);;All files (*)</source>
        <translation>Modèles GGUF (*.gguf);;Tous les fichiers (*)</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="156"/>
        <source>This computer</source>
        <translation>Cet ordinateur</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="162"/>
        <source>asking for its models…</source>
        <translation>demande de ses modèles…</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="165"/>
        <source>unavailable: {reason}</source>
        <translation>indisponible : {reason}</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="167"/>
        <source>no models</source>
        <translation>aucun modèle</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="170"/>
        <source>{model} on {backend} ({host})</source>
        <translation>{model} sur {backend} ({host})</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="180"/>
        <source>loading</source>
        <translation>chargement</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="180"/>
        <source>ready</source>
        <translation>prêt</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="181"/>
        <source>failed</source>
        <translation>échec</translation>
    </message>
    <message>
        <location filename="../model_picker.py" line="181"/>
        <source>no model</source>
        <translation>aucun modèle</translation>
    </message>
</context>
<context>
    <name>PromptDialog</name>
    <message>
        <location filename="../chat/prompt_dialog.py" line="53"/>
        <source>The model did not show its prompt in time.</source>
        <translation>Le modèle n&apos;a pas montré son prompt à temps.</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="54"/>
        <source>Try again once the reply being written has ended.</source>
        <translation>Réessayez une fois la réponse en cours terminée.</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="57"/>
        <source>The prompt could not be shown.</source>
        <translation>Le prompt n&apos;a pas pu être affiché.</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="65"/>
        <source>System</source>
        <translation>Système</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="66"/>
        <source>You</source>
        <translation>Vous</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="67"/>
        <source>Assistant</source>
        <translation>Assistant</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="93"/>
        <source>The prompt as the model sees it</source>
        <translation>Le prompt tel que le modèle le voit</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="95"/>
        <source>{used} of {n_ctx} context tokens, {messages} messages; {reserve} tokens kept free for the reply</source>
        <translation>{used} sur {n_ctx} jetons de contexte, {messages} messages ; {reserve} jetons gardés libres pour la réponse</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="100"/>
        <source>As {model} reads it: {summary}</source>
        <translation>Tel que {model} le lit : {summary}</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="102"/>
        <source>{n} oldest messages are left out to fit the context.</source>
        <translation>Les {n} messages les plus anciens sont omis pour tenir dans le contexte.</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="109"/>
        <source>Tokens per message</source>
        <translation>Jetons par message</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="110"/>
        <location filename="../chat/prompt_dialog.py" line="145"/>
        <source>Message</source>
        <translation>Message</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="110"/>
        <location filename="../chat/prompt_dialog.py" line="141"/>
        <source>Tokens</source>
        <translation>Jetons</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="110"/>
        <source>Context</source>
        <translation>Contexte</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="116"/>
        <source>left out</source>
        <translation>omis</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="117"/>
        <source>left out next when the conversation grows</source>
        <translation>le prochain omis quand la conversation grandit</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="122"/>
        <source>The template&apos;s opening of the reply</source>
        <translation>L&apos;ouverture de la réponse écrite par le modèle de prompt</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="135"/>
        <source>The text the template wrote</source>
        <translation>Le texte écrit par le modèle de prompt</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="136"/>
        <source>Text</source>
        <translation>Texte</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="140"/>
        <source>The tokens, one tint each</source>
        <translation>Les jetons, une teinte chacun</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="143"/>
        <source>Each token&apos;s id</source>
        <translation>L&apos;identifiant de chaque jeton</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="144"/>
        <source>Token</source>
        <translation>Jeton</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="144"/>
        <source>Id</source>
        <translation>Id</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="144"/>
        <source>Kind</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="148"/>
        <source>special</source>
        <translation>spécial</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="148"/>
        <source>text</source>
        <translation>texte</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="150"/>
        <source>the reply&apos;s opening</source>
        <translation>l&apos;ouverture de la réponse</translation>
    </message>
    <message>
        <location filename="../chat/prompt_dialog.py" line="156"/>
        <source>Token ids</source>
        <translation>Identifiants des jetons</translation>
    </message>
</context>
<context>
    <name>RecommendationDialog</name>
    <message>
        <location filename="../recommendation.py" line="48"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="49"/>
        <location filename="../recommendation.py" line="96"/>
        <location filename="../recommendation.py" line="197"/>
        <source>Download</source>
        <translation>Télécharger</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="50"/>
        <source>Needs</source>
        <translation>Nécessite</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="51"/>
        <source>Runs on</source>
        <translation>S&apos;exécute sur</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="52"/>
        <source>Context</source>
        <translation>Contexte</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="53"/>
        <source>Fit</source>
        <translation>Compatibilité</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="54"/>
        <source>Speed here</source>
        <translation>Vitesse ici</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="64"/>
        <source>Choose a model to start with</source>
        <translation>Choisissez un modèle pour commencer</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="74"/>
        <source>Checking this computer&apos;s memory and speed (a few seconds, once)…</source>
        <translation>Vérification de la mémoire et de la vitesse de cet ordinateur (quelques secondes, une seule fois)…</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="93"/>
        <source>Prefer quality: a larger model at ~4 tokens/s is fine. Prefer speed: ~16 tokens/s or more. Balanced: ~8, reading speed.</source>
        <translation>Privilégier la qualité : un modèle plus grand à ~4 tokens/s convient. Privilégier la vitesse : ~16 tokens/s ou plus. Équilibré : ~8, la vitesse de lecture.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="100"/>
        <source>Chat with the small demo model now</source>
        <translation>Discuter maintenant avec le petit modèle de démonstration</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="102"/>
        <source>SmolLM2 135M Instruct comes with localchat: it answers at once while the download runs; it knows little and errs often.</source>
        <translation>SmolLM2 135M Instruct est fourni avec localchat : il répond tout de suite pendant le téléchargement ; il sait peu de choses et se trompe souvent.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="105"/>
        <source>Not now</source>
        <translation>Pas maintenant</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="111"/>
        <source>Recommend</source>
        <translation>Recommander</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="114"/>
        <source>Other models that fit:</source>
        <translation>Autres modèles compatibles :</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="182"/>
        <source>This computer: {summary}</source>
        <translation>Cet ordinateur : {summary}</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="185"/>
        <source>No model in the catalog fits this computer&apos;s memory.</source>
        <translation>Aucun modèle du catalogue ne tient dans la mémoire de cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="188"/>
        <source>Close other apps and try again, or add a model file you already have.</source>
        <translation>Fermez les autres applications et réessayez, ou ajoutez un fichier de modèle que vous avez déjà.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="191"/>
        <source>{headline}{speed} · {size} download</source>
        <translation>{headline}{speed} · {size} à télécharger</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="194"/>
        <source> Its {ttft}.</source>
        <translation> Délai : {ttft}.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="196"/>
        <source>Download {name}</source>
        <translation>Télécharger {name}</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="233"/>
        <source>localchat could not check this computer: {error}</source>
        <translation>localchat n&apos;a pas pu vérifier cet ordinateur : {error}</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="246"/>
        <source>Download {name} ({size})</source>
        <translation>Télécharger {name} ({size})</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="272"/>
        <source>, reads memory at {speed}</source>
        <translation>, lit la mémoire à {speed}</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="287"/>
        <source> It should write {speed} here.</source>
        <translation> Ici, il devrait écrire à {speed}.</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="290"/>
        <source>Download finished</source>
        <translation>Téléchargement terminé</translation>
    </message>
    <message>
        <location filename="../recommendation.py" line="291"/>
        <source>{name} is downloaded.{speed} Switch to it now? The conversation so far stays in the history.</source>
        <translation>{name} est téléchargé.{speed} Passer à ce modèle maintenant ? La conversation jusqu&apos;ici reste dans l&apos;historique.</translation>
    </message>
</context>
<context>
    <name>RemoteModels</name>
    <message>
        <location filename="../remote_models.py" line="127"/>
        <source>The backend {backend} was changed or removed: pick a model to go on.</source>
        <translation>Le backend {backend} a été modifié ou supprimé : choisissez un modèle pour continuer.</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="137"/>
        <source>Stop the current reply before switching models.</source>
        <translation>Arrêtez la réponse en cours avant de changer de modèle.</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="151"/>
        <source>Asking {backend} what {model} can do…</source>
        <translation>Demande à {backend} ce que {model} sait faire…</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="186"/>
        <source>{model} on {backend} ({url})</source>
        <translation>{model} sur {backend} ({url})</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="207"/>
        <source>{backend} did not stream a reply: {why}</source>
        <translation>{backend} n&apos;a pas diffusé de réponse en continu : {why}</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="208"/>
        <location filename="../remote_models.py" line="210"/>
        <location filename="../remote_models.py" line="215"/>
        <location filename="../remote_models.py" line="229"/>
        <source>not offered</source>
        <translation>non proposé</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="212"/>
        <source>{backend} does not accept a JSON schema: {why}</source>
        <translation>{backend} n&apos;accepte pas de schéma JSON : {why}</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="217"/>
        <source>{backend} does not follow a grammar: {why}</source>
        <translation>{backend} ne suit pas de grammaire : {why}</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="242"/>
        <source>{model} on {backend}</source>
        <translation>{model} sur {backend}</translation>
    </message>
    <message>
        <location filename="../remote_models.py" line="247"/>
        <source>No model loaded</source>
        <translation>Aucun modèle chargé</translation>
    </message>
</context>
<context>
    <name>RequestLogDialog</name>
    <message>
        <location filename="../api_server.py" line="257"/>
        <source>Time</source>
        <translation>Heure</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="257"/>
        <source>Request</source>
        <translation>Requête</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="258"/>
        <source>Status</source>
        <translation>Statut</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="258"/>
        <source>Model</source>
        <translation>Modèle</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="259"/>
        <source>Tokens in → out</source>
        <translation>Tokens entrée → sortie</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="260"/>
        <source>Duration</source>
        <translation>Durée</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="264"/>
        <source>API request log</source>
        <translation>Journal des requêtes API</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="274"/>
        <source>API requests</source>
        <translation>Requêtes API</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="277"/>
        <source>The selected request&apos;s messages and reply</source>
        <translation>Messages et réponse de la requête sélectionnée</translation>
    </message>
    <message>
        <location filename="../api_server.py" line="278"/>
        <source>Message contents are not kept. Settings → API server → &quot;Keep message contents in the request log&quot; keeps them.</source>
        <translation>Le contenu des messages n’est pas conservé. Paramètres → Serveur API → « Garder le contenu des messages dans le journal des requêtes » le conserve.</translation>
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
<context>
    <name>SourcesView</name>
    <message>
        <location filename="../chat/sources.py" line="84"/>
        <location filename="../chat/sources.py" line="116"/>
        <source>Sources</source>
        <translation>Sources</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="113"/>
        <source>Sources: no passage of the documents was relevant to the question.</source>
        <translation>Sources : aucun passage des documents ne concernait la question.</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="121"/>
        <source>{citations} point to no passage.</source>
        <translation>{citations} ne renvoient à aucun passage.</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="124"/>
        <source>Check {citations}: the sentence citing it shares no words with the passage.</source>
        <translation>Vérifiez {citations} : la phrase qui le cite n&apos;a aucun mot en commun avec le passage.</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="136"/>
        <source>{name}, page {page}</source>
        <translation>{name}, page {page}</translation>
    </message>
    <message>
        <location filename="../chat/sources.py" line="138"/>
        <source>(not cited)</source>
        <translation>(non cité)</translation>
    </message>
</context>
<context>
    <name>TokenText</name>
    <message>
        <location filename="../chat/token_view.py" line="130"/>
        <source>The reply&apos;s tokens</source>
        <translation>Les jetons de la réponse</translation>
    </message>
    <message>
        <location filename="../chat/token_view.py" line="131"/>
        <source>Point at a token, or use ← and →, to see what else the model weighed there</source>
        <translation>Pointez un jeton, ou utilisez ← et →, pour voir ce que le modèle a envisagé d&apos;autre à cet endroit</translation>
    </message>
</context>
<context>
    <name>UnderTheHood</name>
    <message>
        <location filename="../chat/under_the_hood.py" line="59"/>
        <source>Show token probabilities</source>
        <translation>Afficher les probabilités des jetons</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="60"/>
        <location filename="../chat/under_the_hood.py" line="112"/>
        <source>Colour each token of a reply by how likely the model found it, and show what else it weighed there</source>
        <translation>Colorer chaque jeton d&apos;une réponse selon la probabilité que le modèle lui donnait, et montrer ce qu&apos;il a envisagé d&apos;autre à cet endroit</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="127"/>
        <source>not offered</source>
        <translation>non proposé</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="128"/>
        <source>{backend} gives no token probabilities: {why}</source>
        <translation>{backend} ne donne pas les probabilités des jetons : {why}</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="139"/>
        <source>Show the prompt as the model sees it</source>
        <translation>Afficher le prompt tel que le modèle le voit</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="146"/>
        <source>Ask another model (both replies kept, side by side)</source>
        <translation>Demander à un autre modèle (les deux réponses gardées, côte à côte)</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="172"/>
        <source>No other model is installed</source>
        <translation>Aucun autre modèle n&apos;est installé</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="215"/>
        <source>These tokens came from a remote server, named by their text: a branch from one needs a reply written on this computer.</source>
        <translation>Ces jetons viennent d&apos;un serveur distant, qui les nomme par leur texte : une branche depuis l&apos;un d&apos;eux demande une réponse écrite sur cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="218"/>
        <source>Wait for the reply being written to end.</source>
        <translation>Attendez la fin de la réponse en cours.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="220"/>
        <source>Branching from a token needs the model on this computer.</source>
        <translation>Créer une branche à partir d&apos;un jeton nécessite le modèle sur cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="223"/>
        <source>Load {model} to branch from its tokens.</source>
        <translation>Chargez {model} pour créer une branche à partir de ses jetons.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="264"/>
        <source>The prompt as the model sees it needs a model loaded on this computer.</source>
        <translation>Le prompt tel que le modèle le voit nécessite un modèle chargé sur cet ordinateur.</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="308"/>
        <source>How much of the model&apos;s context this conversation fills; past it, the oldest turns are left out</source>
        <translation>La part du contexte du modèle que remplit cette conversation ; au-delà, les tours les plus anciens sont omis</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="311"/>
        <source>Left out next: {what}</source>
        <translation>Prochain omis : {what}</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="319"/>
        <source>{n} oldest messages left out</source>
        <translation>{n} messages les plus anciens omis</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="321"/>
        <source>next: {what}</source>
        <translation>ensuite : {what}</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="324"/>
        <source>left out next: {what}</source>
        <translation>prochain omis : {what}</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="329"/>
        <source>your message</source>
        <translation>votre message</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="329"/>
        <source>a reply</source>
        <translation>une réponse</translation>
    </message>
    <message>
        <location filename="../chat/under_the_hood.py" line="334"/>
        <source>and its reply</source>
        <translation>et sa réponse</translation>
    </message>
</context>
<context>
    <name>WindowDocuments</name>
    <message>
        <location filename="../window_documents.py" line="37"/>
        <source>Documents</source>
        <translation>Documents</translation>
    </message>
    <message>
        <location filename="../window_documents.py" line="44"/>
        <source>Documents: collections to chat with, and their indexing</source>
        <translation>Documents : les collections avec lesquelles discuter, et leur indexation</translation>
    </message>
</context>
</TS>
