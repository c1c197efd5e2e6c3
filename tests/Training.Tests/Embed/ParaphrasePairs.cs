namespace Pipelines.Training.Tests.Embed;

/// <summary>Hand-written sentence pairs: paraphrases (same meaning, different words) and hard negatives (shared words or topic, different meaning).</summary>
internal static class ParaphrasePairs
{
    public static readonly (string A, string B)[] Paraphrases =
    [
        ("How do I reset my password?", "What are the steps to change my password if I forgot it?"),
        ("The meeting has been moved to Thursday afternoon.", "We rescheduled the meeting for Thursday after lunch."),
        ("Can you recommend a good Italian restaurant nearby?", "Is there a nice Italian place to eat close to here?"),
        ("The train was delayed by forty minutes because of snow.", "Snow held the train up for forty minutes."),
        ("She bought a new laptop for her studies.", "She purchased a new notebook computer for school."),
        ("What is the capital city of Australia?", "Which city is Australia's capital?"),
        ("Please turn off the lights when you leave the room.", "Switch the lights off when you go out of the room, please."),
        ("The company reported record profits this quarter.", "This quarter the firm posted its highest earnings ever."),
        ("My flight to Berlin was cancelled.", "The airline cancelled my flight to Berlin."),
        ("How many calories are in a banana?", "What is the calorie count of a banana?"),
        ("The doctor told him to drink more water.", "His physician advised him to drink more fluids."),
        ("It is going to rain heavily tomorrow.", "Heavy rain is expected tomorrow."),
        ("I can't find my car keys anywhere.", "My car keys have gone missing and I cannot locate them."),
        ("The museum is closed on Mondays.", "On Mondays the museum does not open."),
        ("He finished the marathon in under three hours.", "He ran the marathon in less than three hours."),
        ("How do I cancel my subscription?", "What should I do to end my subscription?"),
        ("The children are playing football in the park.", "Kids are playing soccer in the park."),
        ("Our internet connection keeps dropping.", "The internet keeps disconnecting at our place."),
        ("The price of petrol went up again.", "Fuel prices have risen once more."),
        ("She is learning to play the piano.", "She is taking piano lessons."),
    ];

    public static readonly (string A, string B)[] HardNegatives =
    [
        ("How do I reset my password?", "How do I reset my router?"),
        ("The meeting has been moved to Thursday afternoon.", "The meeting on Thursday afternoon went very well."),
        ("Can you recommend a good Italian restaurant nearby?", "Can you recommend a good Italian language course?"),
        ("The train was delayed by forty minutes because of snow.", "The snow in the mountains is forty centimetres deep."),
        ("She bought a new laptop for her studies.", "She sold her old laptop after her studies."),
        ("What is the capital city of Australia?", "What is the population of Australia?"),
        ("Please turn off the lights when you leave the room.", "Please leave the lights on in the room."),
        ("The company reported record profits this quarter.", "The company reported heavy losses this quarter."),
        ("My flight to Berlin was cancelled.", "My flight to Berlin was comfortable."),
        ("How many calories are in a banana?", "How do bananas grow?"),
        ("The doctor told him to drink more water.", "The doctor told him to stop drinking coffee."),
        ("It is going to rain heavily tomorrow.", "It rained heavily last month."),
        ("I can't find my car keys anywhere.", "I found my car keys in the kitchen."),
        ("The museum is closed on Mondays.", "The museum has a new dinosaur exhibition."),
        ("He finished the marathon in under three hours.", "He trained for the marathon for three months."),
        ("How do I cancel my subscription?", "How do I upgrade my subscription?"),
        ("The children are playing football in the park.", "The children are reading books in the library."),
        ("Our internet connection keeps dropping.", "Our internet provider raised its prices."),
        ("The price of petrol went up again.", "The price of bread went down again."),
        ("She is learning to play the piano.", "She is selling her piano."),
    ];
}
